using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Aggregator.Contracts.Wire;

namespace Aggregator.Contracts.Json;

/// <summary>
/// The entry points for putting protocol records on the wire and reading them back. Messages use the one message
/// wire format of <see cref="WireMessageWriter"/> and <see cref="WireMessageReader"/> (<c>{"op":"set","entry":…}</c>);
/// closed entries go through source-generated metadata (no reflection). Errors are <see cref="JsonException"/>s whose
/// message says what was wrong and what is accepted, so a remote producer can fix its payload from the response alone.
/// </summary>
public static class ContractsJson
{
    /// <summary>
    /// <see cref="ContractsJsonContext"/>'s options plus the checks attributes cannot express (see
    /// <see cref="WireChecks"/>), for closed entries and field values. Messages are not serializer types: read and
    /// write them with <see cref="WireMessageReader"/>, <see cref="WireBatchReader"/> and <see cref="WireMessageWriter"/>.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>The source-generated resolver with the wire checks added.</summary>
    public static IJsonTypeInfoResolver TypeInfoResolver => Options.TypeInfoResolver!;

    private static readonly JsonTypeInfo<ClosedEntry> ClosedEntryInfo = (JsonTypeInfo<ClosedEntry>)Options.GetTypeInfo(typeof(ClosedEntry));

    private static readonly JsonReaderOptions MessageReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 };

    public static string Serialize(ClosedEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return JsonSerializer.Serialize(entry, ClosedEntryInfo);
    }

    public static ClosedEntry DeserializeClosedEntry(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return DeserializeClosedEntry(Encoding.UTF8.GetBytes(json));
    }

    public static ClosedEntry DeserializeClosedEntry(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return JsonSerializer.Deserialize(utf8, ClosedEntryInfo) ?? throw new JsonException("closed entry: got null; expected an object");
        }
        catch (JsonException ex) when (LacksPath(ex))
        {
            throw new JsonException($"{ex.Message} Path: {ex.Path} | LineNumber: {ex.LineNumber} | BytePositionInLine: {ex.BytePositionInLine}.",
                ex.Path, ex.LineNumber, ex.BytePositionInLine, ex);
        }
    }

    /// <summary>One message object in the wire format (e.g. one RabbitMQ delivery).</summary>
    public static string Serialize(IEntryMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WireMessageWriter.Write(writer, message);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static IEntryMessage DeserializeMessage(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return DeserializeMessage(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>
    /// Exactly one message object (whitespace around it allowed). A message the reader refuses throws a
    /// <see cref="JsonException"/> whose message is the reader's error; JSON that is not well-formed throws the
    /// reader's <see cref="JsonException"/> with its line and byte.
    /// </summary>
    public static IEntryMessage DeserializeMessage(ReadOnlySpan<byte> utf8)
    {
        if (utf8.TrimStart(" \t\r\n"u8).IsEmpty) throw new JsonException("entry message: the payload is empty; expected one message object");
        var reader = new Utf8JsonReader(utf8, MessageReaderOptions);
        reader.Read();
        var message = new WireMessageReader().Read(ref reader, out var error);
        if (message is null) throw new JsonException(error!);
        // With the default options the reader itself throws on a second value or any other trailing data.
        if (reader.Read()) throw new JsonException("entry message: unexpected data after the message object");
        return message;
    }

    /// <summary>A JSON array of messages of any mix of ops, written one by one so the sequence is never copied.</summary>
    public static string SerializeBatch(IEnumerable<IEntryMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var message in messages)
            {
                if (message is null) throw new ArgumentException("A batch cannot hold a null message.", nameof(messages));
                WireMessageWriter.Write(writer, message);
            }
            writer.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static IReadOnlyList<IEntryMessage> DeserializeBatch(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return DeserializeBatch(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>
    /// A whole batch (a JSON array, or NDJSON when it starts with '{'), all or nothing: the first rejected message
    /// throws a <see cref="JsonException"/> naming its index and the reader's error, and a body unreadable as a whole
    /// throws one with its line and byte. Hosts that apply the valid messages and report the others use
    /// <see cref="WireBatchReader"/> instead.
    /// </summary>
    public static IReadOnlyList<IEntryMessage> DeserializeBatch(ReadOnlySpan<byte> utf8)
    {
        WireBatch batch;
        try
        {
            batch = WireBatchReader.Read(utf8, WireBodyFormat.JsonArray);
        }
        catch (WireFormatException ex)
        {
            throw new JsonException($"batch: {ex.Message}", null, ex.Line, ex.BytePositionInLine, ex);
        }
        if (batch.Rejected.Count > 0)
        {
            var first = batch.Rejected[0];
            throw new JsonException($"batch: message {first.Index}: {first.Error}", $"$[{first.Index}]", null, null);
        }
        return batch.Messages;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(ContractsJsonContext.Default.Options)
        {
            TypeInfoResolver = ContractsJsonContext.Default.WithAddedModifier(WireChecks.Apply),
        };
        options.MakeReadOnly();
        return options;
    }

    /// <summary>
    /// System.Text.Json appends the path only to messages it wrote itself; a converter's own message (e.g. an
    /// unknown unit) gets the path as a property alone. Readers see messages, so put it there.
    /// </summary>
    private static bool LacksPath(JsonException ex) => ex.Path is not null && !ex.Message.Contains(" Path: ", StringComparison.Ordinal);
}
