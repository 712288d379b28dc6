using System.Text.Encodings.Web;
using System.Text.Json;
using Aggregator.Contracts.Wire;

namespace Aggregator.Contracts.Client;

/// <summary>
/// One NDJSON request body being built: each message is written by <see cref="WireMessageWriter"/> (the wire format's
/// one writer) and ended with a newline. The messages are kept beside the bytes so a rejection's index in the 200
/// answer can name the message it refused. A message the wire cannot carry (a non-finite number, a type with no
/// wire form) is cut back out and counted instead of failing the batch.
/// </summary>
internal sealed class BatchBody : IDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // The service reads escaped and unescaped text alike; not escaping non-ASCII and HTML characters keeps bodies
        // small and the writer fast. The body is never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly PooledBuffer buffer;
    private readonly Utf8JsonWriter writer;
    private readonly List<IEntryMessage> messages = [];
    private readonly int maxMessages;
    private readonly int maxBytes;

    public BatchBody(int maxMessages, int maxBytes)
    {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        buffer = new PooledBuffer(Math.Min(maxBytes + 4096, 64 * 1024));
        writer = new Utf8JsonWriter(buffer, WriterOptions);
    }

    public int Count => messages.Count;

    public IReadOnlyList<IEntryMessage> Messages => messages;

    public ReadOnlyMemory<byte> Bytes => buffer.Written;

    /// <summary>Whether the batch should go now: it reached the message or byte limit.</summary>
    public bool IsFull => messages.Count >= maxMessages || buffer.Length >= maxBytes;

    /// <summary>Adds a message; false (nothing written) when the wire format cannot carry it.</summary>
    public bool TryAppend(IEntryMessage message)
    {
        var mark = buffer.Length;
        try
        {
            WireMessageWriter.Write(writer, message);
            writer.Flush();
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            writer.Reset(buffer);
            buffer.Truncate(mark);
            return false;
        }
        writer.Reset(buffer);
        buffer.WriteByte((byte)'\n');
        messages.Add(message);
        return true;
    }

    public void Clear()
    {
        messages.Clear();
        buffer.Clear();
        writer.Reset(buffer);
    }

    public void Dispose()
    {
        writer.Dispose();
        buffer.Dispose();
    }
}
