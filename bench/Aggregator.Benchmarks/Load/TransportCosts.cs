using System.Buffers;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Aggregator.Contracts.Client;
using Microsoft.AspNetCore.Hosting;
using Aggregator.Contracts.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Aggregator.Benchmarks.Load;

/// <summary>
/// Two cuts through the HTTP path for the attribution, each in CPU microseconds per message of this process:
/// the service fed by pre-serialized NDJSON bodies from a bare HttpClient (no AggregatorClient), and the
/// AggregatorClient against an endpoint that reads the body and answers 202 (no parsing, no actors).
/// </summary>
internal static class TransportCosts
{
    private const int EntriesPerBody = 200;

    /// <summary>Posts <paramref name="bodies"/> bodies of 2,000 messages over two connections and waits until every entry is persisted.</summary>
    public static async Task<(double MessagesPerSecond, double CpuMicros)> ServiceWithoutClientAsync(LoadService service, int bodies)
    {
        var prefix = Guid.NewGuid().ToString("N")[..16];
        var prepared = Enumerable.Range(0, bodies).Select(b => Body(prefix, b)).ToArray();
        using var http = new HttpClient { BaseAddress = service.Address };
        var baseAppended = service.Clock.Appended;
        var next = -1;
        var cpu0 = Cpu();
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            int b;
            while ((b = Interlocked.Increment(ref next)) < prepared.Length)
            {
                while (true)
                {
                    using var content = new ByteArrayContent(prepared[b]);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
                    using var response = await http.PostAsync("/v1/messages", content).ConfigureAwait(false);
                    if ((int)response.StatusCode == 202) break;
                    await Task.Delay(50).ConfigureAwait(false);
                }
            }
        }))).ConfigureAwait(false);
        var total = (long)bodies * EntriesPerBody;
        while (service.Clock.Appended - baseAppended < total && Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(60)) await Task.Delay(2).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var messages = total * LoadWorkload.MessagesPerEntry;
        return (messages / seconds, (Cpu() - cpu0).TotalMicroseconds / messages);
    }

    /// <summary>The client's own cost plus HTTP: producers write entries for <paramref name="duration"/> into a client posting to an endpoint that only reads the body.</summary>
    public static async Task<(double MessagesPerSecond, double CpuMicros)> ClientWithoutServiceAsync(TimeSpan duration, int producers, int window)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.MapPost("/v1/messages", async (HttpContext context) =>
        {
            var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
            while (await context.Request.Body.ReadAsync(buffer).ConfigureAwait(false) > 0) { }
            ArrayPool<byte>.Shared.Return(buffer);
            context.Response.StatusCode = 202;
        });
        await app.StartAsync().ConfigureAwait(false);
        var client = new AggregatorClient(new AggregatorClientOptions { BaseAddress = new Uri(app.Urls.First()), BufferCapacity = window * LoadWorkload.MessagesPerEntry * 2 });
        await using (client.ConfigureAwait(false))
        {
            var stop = false;
            long opened = 0;
            var threads = Enumerable.Range(0, producers).Select(_ => new Thread(() =>
            {
                while (!Volatile.Read(ref stop))
                {
                    if (Interlocked.Read(ref opened) * LoadWorkload.MessagesPerEntry - client.Statistics.Accepted >= window * LoadWorkload.MessagesPerEntry)
                    {
                        Thread.Sleep(1);
                        continue;
                    }
                    for (var i = 0; i < 64; i++) LoadWorkload.Fill(client, Interlocked.Increment(ref opened)).Close();
                }
            }) { IsBackground = true }).ToList();
            threads.ForEach(t => t.Start());
            await Task.Delay(duration / 4).ConfigureAwait(false);
            var (t0, a0, c0) = (Stopwatch.GetTimestamp(), client.Statistics.Accepted, Cpu());
            await Task.Delay(duration).ConfigureAwait(false);
            var (t1, a1, c1) = (Stopwatch.GetTimestamp(), client.Statistics.Accepted, Cpu());
            Volatile.Write(ref stop, true);
            threads.ForEach(t => t.Join());
            return ((a1 - a0) / Stopwatch.GetElapsedTime(t0, t1).TotalSeconds, (c1 - c0).TotalMicroseconds / Math.Max(1, a1 - a0));
        }
    }

    private static byte[] Body(string prefix, int b)
    {
        var buffer = new ArrayBufferWriter<byte>(512 * 1024);
        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
        for (var e = 0; e < EntriesPerBody; e++)
        {
            long n = (long)b * EntriesPerBody + e;
            foreach (var message in LoadWorkload.Messages($"{prefix}-{n:x}", n))
            {
                WireMessageWriter.Write(writer, message);
                writer.Flush();
                writer.Reset(buffer);
                buffer.Write("\n"u8);
            }
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;
}
