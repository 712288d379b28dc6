using System.Diagnostics;

namespace Aggregator.Benchmarks.Load;

/// <summary>What a max-throughput phase measured over its steady part (after the warm-up).</summary>
internal sealed record MaxFigures(double MessagesPerSecond, double EntriesPerSecond, double CpuMicrosPerMessage, double CpuShare, TimeSpan Drain, long Unpersisted, RuntimeCounters Runtime, string Threads);

/// <summary>
/// What the runtime did during a measured span, per message: GC pause time and collections, contended locks and
/// thread-pool work items. Where CPU goes that no single component's cost explains.
/// </summary>
internal sealed record RuntimeCounters(double GcPauseShare, int Gen0, int Gen1, int Gen2, double ContentionsPerThousand, double WorkItemsPerThousand)
{
    public static (TimeSpan Pause, int Gen0, int Gen1, int Gen2, long Contentions, long WorkItems) Read() =>
        (GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), Monitor.LockContentionCount, ThreadPool.CompletedWorkItemCount);

    public static RuntimeCounters Between((TimeSpan Pause, int Gen0, int Gen1, int Gen2, long Contentions, long WorkItems) a,
        (TimeSpan Pause, int Gen0, int Gen1, int Gen2, long Contentions, long WorkItems) b, double seconds, long messages) =>
        new((b.Pause - a.Pause).TotalSeconds / seconds, b.Gen0 - a.Gen0, b.Gen1 - a.Gen1, b.Gen2 - a.Gen2,
            (b.Contentions - a.Contentions) * 1000.0 / Math.Max(1, messages), (b.WorkItems - a.WorkItems) * 1000.0 / Math.Max(1, messages));

    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"GC paused {GcPauseShare:P1} (gen0 {Gen0}, gen1 {Gen1}, gen2 {Gen2}), {ContentionsPerThousand:0.0} lock contentions and {WorkItemsPerThousand:0.0} thread-pool work items per 1,000 msgs");
}

/// <summary>What a paced phase measured: close-to-persisted latency of the sampled entries.</summary>
internal sealed record PacedFigures(double Rate, double AchievedMessagesPerSecond, double P50, double P99, double Max, int Samples, int Missing);

/// <summary>
/// The two phases, for any <see cref="ILoadTarget"/>. Producers are plain threads writing whole entries; they stop
/// opening while <see cref="LoadOptions.Window"/> entries are opened but not yet journaled, so the maximum is what the
/// pipeline sustains end to end, not what a buffer absorbs.
/// </summary>
internal static class LoadPhases
{
    public static async Task<MaxFigures> MaxAsync(ILoadTarget target, LoadService service, LoadOptions options)
    {
        var clock = service.Clock;
        await QuietAsync(clock).ConfigureAwait(false);
        var baseAppended = clock.Appended;
        long opened = 0;
        var stop = false;
        var producers = Enumerable.Range(0, options.Producers).Select(_ => new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                if (Interlocked.Read(ref opened) - (clock.Appended - baseAppended) >= options.Window || !target.HasRoom)
                {
                    Thread.Sleep(1);
                    continue;
                }
                // A burst between checks: asking the target for room takes the client's buffer locks.
                for (var i = 0; i < 16; i++)
                {
                    var n = Interlocked.Increment(ref opened);
                    if (target.Entry(n, null)) continue;
                    Interlocked.Decrement(ref opened);
                    Thread.Sleep(1);
                    break;
                }
            }
        }) { IsBackground = true, Name = $"load-{target.Name}" }).ToList();
        producers.ForEach(t => t.Start());

        await Task.Delay(options.Phase / 4).ConfigureAwait(false);
        var threads0 = ThreadCpu.Read();
        var (t0, accepted0, appended0, cpu0, runtime0) = (Stopwatch.GetTimestamp(), target.Accepted, clock.Appended, Cpu(), RuntimeCounters.Read());
        await Task.Delay(options.Phase).ConfigureAwait(false);
        var (t1, accepted1, appended1, cpu1, runtime1) = (Stopwatch.GetTimestamp(), target.Accepted, clock.Appended, Cpu(), RuntimeCounters.Read());
        var threads = ThreadCpu.Describe(threads0, ThreadCpu.Read());
        Volatile.Write(ref stop, true);
        producers.ForEach(t => t.Join());

        var drainStarted = Stopwatch.GetTimestamp();
        var total = Interlocked.Read(ref opened);
        while (clock.Appended - baseAppended < total && Stopwatch.GetElapsedTime(drainStarted) < TimeSpan.FromSeconds(30)) await Task.Delay(5).ConfigureAwait(false);
        var drain = Stopwatch.GetElapsedTime(drainStarted);

        var seconds = Stopwatch.GetElapsedTime(t0, t1).TotalSeconds;
        var messages = accepted1 - accepted0;
        var cpu = (cpu1 - cpu0).TotalMicroseconds;
        return new MaxFigures(messages / seconds, (appended1 - appended0) / seconds, messages == 0 ? 0 : cpu / messages,
            cpu / 1e6 / seconds / Environment.ProcessorCount, drain, total - (clock.Appended - baseAppended), RuntimeCounters.Between(runtime0, runtime1, seconds, messages), threads);
    }

    public static async Task<PacedFigures> PacedAsync(ILoadTarget target, LoadService service, LoadOptions options, double rate)
    {
        var clock = service.Clock;
        clock.Take();
        var entriesPerSecond = rate / LoadWorkload.MessagesPerEntry;
        long next = 0;
        var stop = false;
        var started = Stopwatch.GetTimestamp();
        // Each producer makes the entries due by now (rate x elapsed, shared), then sleeps a millisecond: no spinning,
        // so the generator does not take the cores the service needs.
        var producers = Enumerable.Range(0, options.Producers).Select(_ => new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                var due = (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * entriesPerSecond);
                while (Interlocked.Read(ref next) < due)
                {
                    var n = Interlocked.Increment(ref next);
                    target.Entry(n, n % options.SampleEvery == 0 ? clock : null);
                }
                Thread.Sleep(1);
            }
        }) { IsBackground = true, Name = $"paced-{target.Name}" }).ToList();
        producers.ForEach(t => t.Start());

        await Task.Delay(options.Phase / 4).ConfigureAwait(false);
        clock.Take();
        var (t0, accepted0) = (Stopwatch.GetTimestamp(), target.Accepted);
        await Task.Delay(options.Phase).ConfigureAwait(false);
        var (t1, accepted1) = (Stopwatch.GetTimestamp(), target.Accepted);
        Volatile.Write(ref stop, true);
        producers.ForEach(t => t.Join());
        var waited = Stopwatch.GetTimestamp();
        while (clock.Pending > 0 && Stopwatch.GetElapsedTime(waited) < TimeSpan.FromSeconds(5)) await Task.Delay(5).ConfigureAwait(false);

        var (latencies, missing) = clock.Take();
        latencies.Sort();
        return new PacedFigures(rate, (accepted1 - accepted0) / Stopwatch.GetElapsedTime(t0, t1).TotalSeconds,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.Count == 0 ? double.NaN : latencies[^1], latencies.Count, missing);
    }

    /// <summary>Waits until the store has stopped appending (what an earlier phase left is persisted), at most 5 s.</summary>
    private static async Task QuietAsync(PersistClock clock)
    {
        var started = Stopwatch.GetTimestamp();
        var last = clock.Appended;
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(200).ConfigureAwait(false);
            var now = clock.Appended;
            if (now == last) return;
            last = now;
        }
    }

    private static TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;

    private static double Percentile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
}
