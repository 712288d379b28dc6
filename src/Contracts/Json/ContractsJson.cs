using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Aggregator.Contracts.Json;

/// <summary>
/// The entry points for putting protocol records on the wire and reading them back, all through source-generated
/// metadata (no reflection). Errors are <see cref="JsonException"/>s whose message says what was wrong, what is
/// accepted and where (the JSON path), so a remote producer can fix its payload from the response alone.
/// </summary>
public static class ContractsJson
{
    /// <summary>
    /// <see cref="ContractsJsonContext"/>'s options plus the checks attributes cannot express (see
    /// <see cref="WireChecks"/>). Hand these to ASP.NET Core or any other host as they are: options such as
    /// required parameters and out-of-order "type" are read from the options instance, so chaining only
    /// <see cref="TypeInfoResolver"/> into another options object would lose them.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>The source-generated resolver with the wire checks added.</summary>
    public static IJsonTypeInfoResolver TypeInfoResolver => Options.TypeInfoResolver!;

    private static readonly JsonTypeInfo<ClosedEntry> ClosedEntryInfo = Info<ClosedEntry>();
    private static readonly JsonTypeInfo<IEntryMessage> MessageInfo = Info<IEntryMessage>();
    private static readonly JsonTypeInfo<IEntryMessage[]> BatchInfo = Info<IEntryMessage[]>();

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
        catch (JsonException ex) when (LacksPath(ex) || IsUnknownType(ex))
        {
            throw Explain(ex);
        }
    }

    /// <summary>One message, with its "type" discriminator (e.g. one RabbitMQ delivery).</summary>
    public static string Serialize(IEntryMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return JsonSerializer.Serialize(message, MessageInfo);
    }

    public static IEntryMessage DeserializeMessage(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return DeserializeMessage(Encoding.UTF8.GetBytes(json));
    }

    public static IEntryMessage DeserializeMessage(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return JsonSerializer.Deserialize(utf8, MessageInfo) ?? throw new JsonException($"entry message: got null; {WireChecks.ExpectedMessage}");
        }
        catch (JsonException ex) when (LacksPath(ex) || IsUnknownType(ex))
        {
            throw Explain(ex);
        }
    }

    /// <summary>A JSON array of messages of any mix of types, written one by one so the sequence is never copied.</summary>
    public static string SerializeBatch(IEnumerable<IEntryMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Options.Encoder, Indented = false }))
        {
            writer.WriteStartArray();
            foreach (var message in messages)
            {
                if (message is null) throw new ArgumentException("A batch cannot hold a null message.", nameof(messages));
                JsonSerializer.Serialize(writer, message, MessageInfo);
            }
            writer.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static IReadOnlyList<IEntryMessage> DeserializeBatch(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return DeserializeBatch(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>A JSON array of messages (an HTTP batch body); every element must be a message object with a "type".</summary>
    public static IReadOnlyList<IEntryMessage> DeserializeBatch(ReadOnlySpan<byte> utf8)
    {
        IEntryMessage[]? batch;
        try
        {
            batch = JsonSerializer.Deserialize(utf8, BatchInfo);
        }
        catch (JsonException ex) when (LacksPath(ex) || IsUnknownType(ex))
        {
            throw Explain(ex);
        }
        if (batch is null) throw new JsonException("batch: got null; expected a JSON array of entry messages");
        // Nullable annotations are not enforced on collection elements, so check them here.
        var hole = Array.IndexOf(batch, null);
        if (hole >= 0) throw new JsonException($"batch: element {hole} is null; {WireChecks.ExpectedMessage} Path: $[{hole}]", $"$[{hole}]", null, null);
        return batch;
    }

    private static JsonTypeInfo<T> Info<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

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
    /// unknown unit) gets the path as a property alone. Producers see messages, so put it there.
    /// </summary>
    private static bool LacksPath(JsonException ex) => ex.Path is not null && !ex.Message.Contains(" Path: ", StringComparison.Ordinal);

    /// <summary>
    /// System.Text.Json's own message for an unknown discriminator names the bad id but not the accepted ones;
    /// there is no hook for it, so it is recognised by its wording (a test pins it) and the list is added.
    /// </summary>
    private static bool IsUnknownType(JsonException ex) => ex.Message.Contains("type discriminator", StringComparison.Ordinal);

    private static JsonException Explain(JsonException ex) => IsUnknownType(ex)
        ? new($"entry message: unknown \"type\"; {WireChecks.ExpectedMessage} ({ex.Message})", ex.Path, ex.LineNumber, ex.BytePositionInLine, ex)
        : new($"{ex.Message} Path: {ex.Path} | LineNumber: {ex.LineNumber} | BytePositionInLine: {ex.BytePositionInLine}.",
            ex.Path, ex.LineNumber, ex.BytePositionInLine, ex);
}
