using System.Globalization;
using Aggregator.Benchmarks.Load;
using Aggregator.Benchmarks.Reporting;

namespace Aggregator.Benchmarks.Cluster;

/// <summary>
/// The <c>cluster</c> command (issue 6): the load command's workload, sent by AggregatorClient (one per process) from
/// this process to separate Aggregator.Host processes: one single-node process on SQLite (the baseline), optionally one
/// on PostgreSQL, then N = 1, 2, 3 cluster-mode processes on RabbitMQ + PostgreSQL, each deployment fresh (own schema,
/// queue prefix, data directory) and stopped and dropped after its phase. The cluster phases are fed over HTTP, or with
/// <c>--direct</c> by a client publishing straight to the shard queues (<c>--direct both</c>: each size both ways). The
/// last line is <c>RESULT cluster</c>: the best cluster phase's messages/s against the single-node SQLite process.
/// </summary>
internal static class ClusterRun
{
    public static async Task<int> RunAsync(ClusterBenchOptions options)
    {
        var endpoints = ServiceEndpoints.FromEnvironment(out var missing);
        if (endpoints is null)
        {
            Console.Error.WriteLine($"cluster: {missing} not set; run bench/cluster.sh (it starts a private PostgreSQL and RabbitMQ) or export them, " +
                                    "e.g. AGGREGATOR_TEST_POSTGRES='Host=127.0.0.1;Port=5432;Username=postgres;Database=aggregator_test' AGGREGATOR_TEST_RABBITMQ=amqp://guest:guest@127.0.0.1:5672/");
            return 2;
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => HostProcess.KillAll();
        Console.CancelKeyPress += (_, _) => HostProcess.KillAll();

        Console.WriteLine($"cluster: {MachineDescription.CoresAndGc}, {options.Producers} producer threads, window {options.Window:N0} entries, phases of {options.Phase.TotalSeconds:0.#} s after a warm-up of at least {options.WarmUp.TotalSeconds:0.#} s and until every Host process compiles fewer than {JitSettling.SettledPerSecond} methods/s (at most {JitSettling.Longest.TotalSeconds} s), {options.Shards} shard queues, checkpoints every {options.CheckpointSeconds} s");
        Console.WriteLine($"entries: the load command's ({LoadWorkload.MessagesPerEntry} messages each); over HTTP entry n goes through the client of process n mod N, direct through one client with a sender per shard; persisted = count(*) of the journal, polled every 100 ms");
        Console.WriteLine("processes: Aggregator.Host.dll next to this benchmark, run by dotnet; generator, Host processes, RabbitMQ and PostgreSQL share this machine's cores");
        Console.WriteLine($"cluster feed: {string.Join(", then ", options.Feeds.Select(Describe))}; the single-node phases are fed over HTTP");
        Console.WriteLine(SourceRevision.Describe("src/Contracts", "src/Transport", "src/Host", "src/Actors"));
        Console.WriteLine($"load average before the run: {LoadAverage.Read()}");
        Console.Out.Flush();

        var results = new List<PhaseFigures>();
        try
        {
            // The first phase also warms this process (client, producers, JIT): 4 s more, so the baseline is not understated.
            results.Add(await MeasureAsync(() => Deployment.SingleSqliteAsync(endpoints), options, options.WarmUp + TimeSpan.FromSeconds(4)).ConfigureAwait(false));
            if (options.PostgresSingle) results.Add(await MeasureAsync(() => Deployment.SinglePostgresAsync(endpoints), options, options.WarmUp).ConfigureAwait(false));
            foreach (var feed in options.Feeds)
            {
                foreach (var nodes in options.Nodes)
                {
                    results.Add(await MeasureAsync(() => Deployment.ClusterAsync(endpoints, nodes, options.Shards, options.CheckpointSeconds, feed), options, options.WarmUp).ConfigureAwait(false));
                }
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or Npgsql.NpgsqlException or RabbitMQ.Client.Exceptions.BrokerUnreachableException)
        {
            HostProcess.KillAll();
            throw RunFailure.Exit(e.Message, new ResultLine("cluster", 0, "msg/s", results.FirstOrDefault()?.MessagesPerSecond ?? 0));
        }

        Console.WriteLine();
        Console.WriteLine("| deployment | processes | msg/s accepted | entries/s persisted | vs baseline | Host CPU µs/msg | generator CPU µs/msg | machine busy | PostgreSQL CPU µs/msg | RabbitMQ CPU µs/msg | machine CPU µs/msg | rest µs/msg (other processes) | drain | not persisted |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var baseline = results[0].MessagesPerSecond;
        foreach (var r in results)
        {
            Console.WriteLine(F($"| {r.Label} | {r.Nodes} | {r.MessagesPerSecond:N0} | {r.EntriesPerSecond:N0} | {r.MessagesPerSecond / baseline:0.00} | {r.ServiceCpuMicros:0.00} | {r.GeneratorCpuMicros:0.00} | {r.MachineBusy:P0} | {r.PostgresCpuMicros:0.00} | {r.RabbitCpuMicros:0.00} | {r.MachineCpuMicros:0.00} | {r.MachineCpuMicros - r.ServiceCpuMicros - r.GeneratorCpuMicros - Zero(r.PostgresCpuMicros) - Zero(r.RabbitCpuMicros):0.00} | {r.Drain.TotalMilliseconds:0} ms | {r.Unpersisted} |"));
        }
        Console.WriteLine($"load average after the run: {LoadAverage.Read()}");
        var clusters = results.Where(r => r.Label.StartsWith("cluster", StringComparison.Ordinal)).ToList();
        if (clusters.Count == 0)
        {
            Console.WriteLine("no cluster size measured (--nodes was empty)");
            return 0;
        }
        var best = clusters.MaxBy(r => r.MessagesPerSecond)!;
        var fed = best.Label.EndsWith(" direct", StringComparison.Ordinal) ? "fed straight to the shard queues" : "fed over HTTP";
        Console.WriteLine(F($"value = the best cluster phase, {best.Label} ({fed}); baseline = one single-node process on SQLite fed over HTTP by the same producers"));
        Console.WriteLine(new ResultLine("cluster", best.MessagesPerSecond, "msg/s", baseline));
        Console.Out.Flush();
        return 0;
    }

    private static async Task<PhaseFigures> MeasureAsync(Func<Task<Deployment>> start, ClusterBenchOptions options, TimeSpan warmUp)
    {
        var starting = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var deployment = await start().ConfigureAwait(false);
        Console.WriteLine(F($"{deployment.Label}: {deployment.Processes.Count} process(es) ready in {System.Diagnostics.Stopwatch.GetElapsedTime(starting).TotalSeconds:0.0} s"));
        Console.Out.Flush();
        var f = await ClusterPhase.RunAsync(deployment, options, warmUp).ConfigureAwait(false);
        Console.WriteLine(F($"  {f.MessagesPerSecond:N0} msg/s accepted, {f.EntriesPerSecond:N0} entries/s persisted; Host processes {f.ServiceCpuMicros:0.00} CPU µs/msg, generator {f.GeneratorCpuMicros:0.00}; PostgreSQL {f.PostgresCpuMicros:0.00}, RabbitMQ {f.RabbitCpuMicros:0.00}; machine {f.MachineBusy:P0} busy ({f.MachineCpuMicros:0.00} µs/msg); drained in {f.Drain.TotalMilliseconds:0} ms, {f.Unpersisted} not persisted"));
        Console.WriteLine(F($"  clients: {f.Losses}; slowest journal count {f.SlowestCount.TotalMilliseconds:0} ms"));
        Console.Out.Flush();
        return f;
    }

    private static string Describe(ClusterFeed feed) => feed switch
    {
        ClusterFeed.Direct => "direct (AggregatorClient publishing straight to the shard queues, labelled \"direct\")",
        _ => "HTTP (AggregatorClient posting to the nodes' /v1/messages)",
    };

    private static double Zero(double value) => double.IsNaN(value) ? 0 : value;

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
