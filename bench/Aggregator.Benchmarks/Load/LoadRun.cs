using System.Globalization;
using Aggregator.Benchmarks.Reporting;
using Aggregator.Contracts.Client;

namespace Aggregator.Benchmarks.Load;

/// <summary>
/// The <c>load</c> command: the service in this process (Kestrel on loopback, SQLite), fed by
/// <see cref="AggregatorClient"/> over HTTP and then, as the baseline, by the same workload through the service's own
/// EntryRegion. Per target: a max-throughput phase (messages/s taken by the service, entries/s journaled) and a paced
/// phase at half the HTTP maximum (or --rate) timing close to persisted. Then a CPU attribution per message. The last
/// line is <c>RESULT load …</c>, HTTP messages/s against in-process.
/// </summary>
internal static class LoadRun
{
    public static async Task<int> RunAsync(LoadOptions options)
    {
        Console.WriteLine($"load: {MachineDescription.CoresAndGc}, {options.Producers} producer threads, window {options.Window:N0} entries, phases of {options.Phase.TotalSeconds:0.#} s after a {options.Phase.TotalSeconds / 4:0.#} s warm-up");
        Console.WriteLine($"entries: open, 2 set, add, observe, Wait slot (set, observe, complete), close = {LoadWorkload.MessagesPerEntry} messages; store SQLite; generator and service share this process and its cores");
        Console.WriteLine(SourceRevision.Describe("src/Contracts", "src/Host"));
        Console.WriteLine($"load average before the run: {LoadAverage.Read()}");
        Console.Out.Flush();

        await using var service = await LoadService.StartAsync().ConfigureAwait(false);
        var clientOptions = new AggregatorClientOptions
        {
            BaseAddress = service.Address,
            BufferCapacity = options.Window * LoadWorkload.MessagesPerEntry + 50_000,
        };
        clientOptions = clientOptions with
        {
            Senders = options.Senders ?? clientOptions.Senders,
            MaxBatchMessages = options.Batch ?? clientOptions.MaxBatchMessages,
            MaxBatchBytes = Math.Max(clientOptions.MaxBatchBytes, (options.Batch ?? 0) * 256),
        };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"service at {service.Address}; client: {clientOptions.Senders} senders, batches of up to {clientOptions.MaxBatchMessages} msgs / {clientOptions.MaxBatchBytes / 1024} KiB, linger {clientOptions.Linger.TotalMilliseconds} ms, buffer {clientOptions.BufferCapacity:N0}"));
        Console.WriteLine("latency: close stamped on the producer just before the Close is sent (1 entry in " + options.SampleEvery +
                          "); persisted when the store's journal append containing it returns (a decorator on the service's ISinkStore), Stopwatch resolution");
        Console.Out.Flush();

        MaxFigures httpMax, localMax;
        PacedFigures httpPaced, localPaced;
        string httpLosses;
        var client = new AggregatorClient(clientOptions);
        await using (client.ConfigureAwait(false))
        {
            var http = new ClientTarget(client, maxBacklog: clientOptions.Senders * clientOptions.MaxBatchMessages * 2);
            // Warm-up of both paths, discarded: the first phase otherwise runs partly in tier-0 code while the JIT
            // (tiered, with PGO) recompiles it, which made whichever target went first look several times slower.
            var warmUp = options with { Phase = TimeSpan.FromSeconds(Math.Min(4, options.Phase.TotalSeconds)) };
            await LoadPhases.MaxAsync(http, service, warmUp).ConfigureAwait(false);
            await LoadPhases.MaxAsync(new InProcessTarget(service.Pipeline.Entries), service, warmUp).ConfigureAwait(false);
            await LoadPhases.MaxAsync(new RegionTellTarget(service.Pipeline.Entries), service, warmUp).ConfigureAwait(false);
            Console.WriteLine($"warm-up done ({3 * warmUp.Phase.TotalSeconds * 1.25:0} s of load through each path in turn)");
            httpMax = await LoadPhases.MaxAsync(http, service, options).ConfigureAwait(false);
            Report("max", http.Name, httpMax);
            Console.WriteLine($"  client after the max phase: {http.Losses}");
            var rate = options.Rate ?? Math.Max(1000, httpMax.MessagesPerSecond / 2);
            httpPaced = await LoadPhases.PacedAsync(http, service, options, rate).ConfigureAwait(false);
            Report("paced", http.Name, httpPaced);
            httpLosses = http.Losses;
        }
        var local = new InProcessTarget(service.Pipeline.Entries);
        localMax = await LoadPhases.MaxAsync(local, service, options).ConfigureAwait(false);
        Report("max", local.Name, localMax);
        localPaced = await LoadPhases.PacedAsync(local, service, options, httpPaced.Rate).ConfigureAwait(false);
        Report("paced", local.Name, localPaced);

        var tells = await LoadPhases.MaxAsync(new RegionTellTarget(service.Pipeline.Entries), service, options).ConfigureAwait(false);
        Report("max", "region tells", tells);

        var bare = await TransportCosts.ServiceWithoutClientAsync(service, bodies: 60).ConfigureAwait(false);
        Console.WriteLine(F($"service fed pre-serialized bodies by a bare HttpClient: {bare.MessagesPerSecond:N0} msg/s to persisted, {bare.CpuMicros:0.00} CPU µs/msg"));
        var clientOnly = await TransportCosts.ClientWithoutServiceAsync(options.Phase / 2, options.Producers, options.Window).ConfigureAwait(false);
        Console.WriteLine(F($"client against an endpoint that only reads the body: {clientOnly.MessagesPerSecond:N0} msg/s, {clientOnly.CpuMicros:0.00} CPU µs/msg"));

        var serialize = WireCosts.SerializeMicros(TimeSpan.FromSeconds(1));
        var parse = WireCosts.ParseMicros(TimeSpan.FromSeconds(1));

        Console.WriteLine();
        Console.WriteLine("| target | max msg/s | max entries/s persisted | CPU µs/msg | CPU busy | drain | paced at msg/s | achieved | p50 ms | p99 ms | max ms | samples | missing |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Row("http (AggregatorClient)", httpMax, httpPaced);
        Row("in-process (EntryRegion)", localMax, localPaced);
        Console.WriteLine($"http client: {httpLosses}; {local.Name}: {local.Losses}");
        Console.WriteLine();
        Console.WriteLine("attribution, CPU µs per message (all threads of this process; the generator included):");
        Console.WriteLine(F($"  http path total                          {httpMax.CpuMicrosPerMessage,8:0.00}"));
        Console.WriteLine(F($"  in-process path total (actors + sinks)   {localMax.CpuMicrosPerMessage,8:0.00}"));
        Console.WriteLine(F($"  client: build records + NDJSON write     {serialize,8:0.00}   (alone, one thread)"));
        Console.WriteLine(F($"  server: WireBatchReader parse            {parse,8:0.00}   (alone, one thread)"));
        Console.WriteLine(F($"  wire records told to the ShardRegion     {tells.CpuMicrosPerMessage,8:0.00}   (what ingestion does after parsing; {tells.MessagesPerSecond:N0} msg/s)"));
        Console.WriteLine(F($"    of which routing every message through the shard and unbatched slot writes, vs the handles: {tells.CpuMicrosPerMessage - localMax.CpuMicrosPerMessage,6:0.00}"));
        Console.WriteLine(F($"  service over HTTP, bodies pre-serialized {bare.CpuMicros,8:0.00}   (HTTP + body read + parse + tells + actors + SQLite, no client)"));
        Console.WriteLine(F($"    of which HTTP, body read and parse (vs region tells) {bare.CpuMicros - tells.CpuMicrosPerMessage,6:0.00}"));
        Console.WriteLine(F($"  client + HTTP against a do-nothing endpoint {clientOnly.CpuMicros,8:0.00}   (records, handles, channels, NDJSON, HttpClient, Kestrel body read; {clientOnly.MessagesPerSecond:N0} msg/s)"));
        var rest = httpMax.CpuMicrosPerMessage - bare.CpuMicros - clientOnly.CpuMicros;
        Console.WriteLine(F($"  not explained by the two halves measured alone (JIT still tiering, GC, scheduling) {rest,8:0.00}"));
        Console.WriteLine(F($"  => on {Environment.ProcessorCount} cores the http path tops out near {Environment.ProcessorCount * 1e6 / Math.Max(httpMax.CpuMicrosPerMessage, 0.001):N0} msg/s if CPU-bound"));
        Console.WriteLine();
        Console.WriteLine(new ResultLine("load-p99", httpPaced.P99, "ms", localPaced.P99));
        Console.WriteLine(new ResultLine("load", httpMax.MessagesPerSecond, "msg/s", localMax.MessagesPerSecond));
        Console.Out.Flush();
        return 0;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static void Report(string phase, string target, MaxFigures f)
    {
        Console.WriteLine(F($"{phase} {target}: {f.MessagesPerSecond:N0} msg/s accepted, {f.EntriesPerSecond:N0} entries/s persisted, {f.CpuMicrosPerMessage:0.00} CPU µs/msg ({f.CpuShare:P0} of the cores), drained in {f.Drain.TotalMilliseconds:0} ms, {f.Unpersisted} not persisted"));
        Console.WriteLine($"  {f.Runtime}");
        Console.WriteLine($"  CPU by thread: {f.Threads}");
        Console.Out.Flush();
    }

    private static void Report(string phase, string target, PacedFigures f)
    {
        Console.WriteLine(F($"{phase} {target} at {f.Rate:N0} msg/s: achieved {f.AchievedMessagesPerSecond:N0}, close->persisted p50 {f.P50:0.0} ms, p99 {f.P99:0.0} ms, max {f.Max:0.0} ms ({f.Samples} samples, {f.Missing} missing)"));
        Console.Out.Flush();
    }

    private static void Row(string name, MaxFigures max, PacedFigures paced) =>
        Console.WriteLine(F($"| {name} | {max.MessagesPerSecond:N0} | {max.EntriesPerSecond:N0} | {max.CpuMicrosPerMessage:0.00} | {max.CpuShare:P0} | {max.Drain.TotalMilliseconds:0} ms | {paced.Rate:N0} | {paced.AchievedMessagesPerSecond:N0} | {paced.P50:0.0} | {paced.P99:0.0} | {paced.Max:0.0} | {paced.Samples} | {paced.Missing} |"));
}
