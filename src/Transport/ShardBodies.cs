using System.Buffers;
using System.Text.Json;
using Aggregator.Contracts;
using Aggregator.Contracts.Wire;

namespace Aggregator.Transport;

/// <summary>
/// Splits a request's messages into one NDJSON body per shard, each shard's messages in request order, the shards in
/// the order they first appear: what <see cref="ShardPublisher"/> publishes, one RabbitMQ message per shard.
/// </summary>
public static class ShardBodies
{
    /// <summary>Writes each message with <see cref="WireMessageWriter"/>.</summary>
    public static IReadOnlyDictionary<int, ReadOnlyMemory<byte>> Write(ShardQueues queues, IReadOnlyList<IEntryMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(messages);
        var buffers = new Dictionary<int, ArrayBufferWriter<byte>>();
        using var writer = new Utf8JsonWriter(Stream.Null);
        foreach (var message in messages)
        {
            ArgumentNullException.ThrowIfNull(message, nameof(messages));
            WriteLine(writer, BufferOf(buffers, queues.ShardOf(message.EntryId)), message);
        }
        return Bodies(buffers);
    }

    /// <summary>
    /// Copies each message's bytes from the body it was read from (<see cref="WireBatch.Sources"/>) instead of writing
    /// it again, which was a fifth of the HTTP cluster path's cost; a message whose source spans lines (a pretty-printed
    /// JSON array element) is written instead, since a body line holds one message. Without sources, writes them all.
    /// </summary>
    public static IReadOnlyDictionary<int, ReadOnlyMemory<byte>> Copy(ShardQueues queues, WireBatch batch, ReadOnlySpan<byte> source)
    {
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Sources.Count != batch.Messages.Count) return Write(queues, batch.Messages);
        var buffers = new Dictionary<int, ArrayBufferWriter<byte>>();
        Utf8JsonWriter? writer = null;
        try
        {
            for (var i = 0; i < batch.Messages.Count; i++)
            {
                var message = batch.Messages[i];
                var buffer = BufferOf(buffers, queues.ShardOf(message.EntryId));
                var bytes = source[batch.Sources[i]].TrimEnd("\r"u8);
                if (bytes.Contains((byte)'\n'))
                {
                    WriteLine(writer ??= new Utf8JsonWriter(Stream.Null), buffer, message);
                    continue;
                }
                buffer.Write(bytes);
                buffer.Write("\n"u8);
            }
        }
        finally
        {
            writer?.Dispose();
        }
        return Bodies(buffers);
    }

    private static ArrayBufferWriter<byte> BufferOf(Dictionary<int, ArrayBufferWriter<byte>> buffers, int shard)
    {
        if (!buffers.TryGetValue(shard, out var buffer)) buffers[shard] = buffer = new ArrayBufferWriter<byte>(256);
        return buffer;
    }

    private static void WriteLine(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer, IEntryMessage message)
    {
        writer.Reset(buffer);
        WireMessageWriter.Write(writer, message);
        writer.Flush();
        buffer.Write("\n"u8);
    }

    private static Dictionary<int, ReadOnlyMemory<byte>> Bodies(Dictionary<int, ArrayBufferWriter<byte>> buffers)
    {
        var bodies = new Dictionary<int, ReadOnlyMemory<byte>>(buffers.Count);
        foreach (var (shard, buffer) in buffers) bodies[shard] = buffer.WrittenMemory;
        return bodies;
    }
}
