using System.Buffers;
using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using Aggregator.Contracts;
using Aggregator.Contracts.Wire;

namespace Aggregator.Benchmarks.Load;

/// <summary>
/// The two wire costs of the HTTP path measured alone on one thread, for the attribution: building the workload's
/// records and writing them as NDJSON the way the client does (WireMessageWriter into a reused buffer), and reading
/// such a body the way the service does (WireBatchReader). CPU microseconds per message.
/// </summary>
internal static class WireCosts
{
    private const int BatchEntries = 200;

    public static double SerializeMicros(TimeSpan duration)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1 << 20);
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
        using var writer = new Utf8JsonWriter(buffer, options);
        long messages = 0, n = 0;
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < duration)
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            for (var e = 0; e < BatchEntries; e++, n++)
            {
                var id = $"0123456789abcdef-{n:x}";
                foreach (var message in LoadWorkload.Messages(id, n))
                {
                    WireMessageWriter.Write(writer, message);
                    writer.Flush();
                    writer.Reset(buffer);
                    buffer.Write("\n"u8);
                    messages++;
                }
            }
        }
        return Stopwatch.GetElapsedTime(started).TotalMicroseconds / messages;
    }

    public static double ParseMicros(TimeSpan duration)
    {
        var body = Body();
        long messages = 0;
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < duration)
        {
            var batch = WireBatchReader.Read(body, WireBodyFormat.NdJson, WireLimits.Default);
            messages += batch.Messages.Count;
        }
        return Stopwatch.GetElapsedTime(started).TotalMicroseconds / messages;
    }

    private static byte[] Body()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1 << 20);
        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        for (var n = 0; n < BatchEntries; n++)
        {
            foreach (IEntryMessage message in LoadWorkload.Messages($"0123456789abcdef-{n:x}", n))
            {
                WireMessageWriter.Write(writer, message);
                writer.Flush();
                writer.Reset(buffer);
                buffer.Write("\n"u8);
            }
        }
        return buffer.WrittenSpan.ToArray();
    }
}
