using System.Diagnostics;

namespace Aggregator.Benchmarks.Cluster;

/// <summary>
/// What one deployment sustained over the measured span (after the warm-up). ServiceCpuMicros: CPU µs per message of
/// the Host processes together (not RabbitMQ, PostgreSQL or the generator); GeneratorCpuMicros: this process
/// (producers, clients, journal counting); MachineBusy: share of all cores busy, every process of the machine;
/// MachineCpuMicros: that busy time per message; PostgresCpuMicros, RabbitCpuMicros: the private servers' process trees
/// (NaN when bench/cluster.sh did not say where they are).
/// </summary>
internal sealed record PhaseFigures(string Label, int Nodes, double MessagesPerSecond, double EntriesPerSecond, double ServiceCpuMicros,
    double GeneratorCpuMicros, double MachineBusy, double MachineCpuMicros, double PostgresCpuMicros, double RabbitCpuMicros, TimeSpan Drain, long Unpersisted, string Losses, TimeSpan SlowestCount);

/// <summary>
/// The load command's max phase against separate processes: producer threads write whole entries through
/// <see cref="SpreadTarget"/> and stop opening while <see cref="ClusterBenchOptions.Window"/> entries are not yet counted
/// in the journal, so the rate is what the deployment persists end to end, not what RabbitMQ or a buffer absorbs.
/// </summary>
internal static class ClusterPhase
{
    public static async Task<PhaseFigures> RunAsync(Deployment deployment, ClusterBenchOptions options, TimeSpan warmUp)
    {
        var journal = deployment.Journal;
        var bufferCapacity = options.Window * Load.LoadWorkload.MessagesPerEntry + 50_000;
        await using var target = deployment.Feed == ClusterFeed.Direct && deployment.ShardQueues is { } queues
            ? SpreadTarget.Direct(queues.RabbitMq, queues.Prefix, queues.Shards, bufferCapacity)
            : SpreadTarget.Http(deployment.Processes.Select(p => p.Address), bufferCapacity);
        Console.WriteLine($"  feed: {target.Describe}");
        long opened = 0;
        var stop = false;
        var producers = Enumerable.Range(0, options.Producers).Select(_ => new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                if (Interlocked.Read(ref opened) - journal.Count >= options.Window || !target.HasRoom)
                {
                    Thread.Sleep(1);
                    continue;
                }
                for (var i = 0; i < 16; i++) target.Entry(Interlocked.Increment(ref opened));
            }
        }) { IsBackground = true, Name = "cluster-load" }).ToList();
        producers.ForEach(t => t.Start());

        Console.WriteLine("  " + await JitSettling.WaitAsync(deployment.Processes, warmUp).ConfigureAwait(false));
        Console.Out.Flush();
        var (t0, accepted0, persisted0, service0, own0, machine0, pg0, rabbit0) = Sample(deployment, target);
        await Task.Delay(options.Phase).ConfigureAwait(false);
        var (t1, accepted1, persisted1, service1, own1, machine1, pg1, rabbit1) = Sample(deployment, target);
        Volatile.Write(ref stop, true);
        producers.ForEach(t => t.Join());

        var drainStarted = Stopwatch.GetTimestamp();
        var total = Interlocked.Read(ref opened);
        while (journal.Count < total && Stopwatch.GetElapsedTime(drainStarted) < TimeSpan.FromSeconds(30)) await Task.Delay(50).ConfigureAwait(false);
        var drain = Stopwatch.GetElapsedTime(drainStarted);

        var seconds = Stopwatch.GetElapsedTime(t0, t1).TotalSeconds;
        var messages = Math.Max(1, accepted1 - accepted0);
        return new PhaseFigures(deployment.Label, deployment.Processes.Count, (accepted1 - accepted0) / seconds, (persisted1 - persisted0) / seconds,
            (service1 - service0).TotalMicroseconds / messages, (own1 - own0).TotalMicroseconds / messages, MachineCpu.BusyShare(machine0, machine1),
            MachineCpu.BusyShare(machine0, machine1) * Environment.ProcessorCount * seconds * 1e6 / messages,
            ProcessTreeCpu.Postgres.Known ? (pg1 - pg0).TotalMicroseconds / messages : double.NaN,
            ProcessTreeCpu.RabbitMq.Known ? (rabbit1 - rabbit0).TotalMicroseconds / messages : double.NaN,
            drain, total - journal.Count, target.Losses, journal.SlowestPoll);
    }

    private static (long Time, long Accepted, long Persisted, TimeSpan Service, TimeSpan Own, MachineCpu Machine, TimeSpan Postgres, TimeSpan Rabbit) Sample(Deployment deployment, SpreadTarget target) =>
        (Stopwatch.GetTimestamp(), target.Accepted, deployment.Journal.Count,
            deployment.Processes.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Cpu), Process.GetCurrentProcess().TotalProcessorTime, MachineCpu.Read(),
            ProcessTreeCpu.Postgres.Read(), ProcessTreeCpu.RabbitMq.Read());
}
