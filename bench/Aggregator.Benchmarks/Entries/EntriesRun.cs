using System.Diagnostics;
using System.Globalization;
using Aggregator.Benchmarks.Reporting;
using Aggregator.Benchmarks.Throughput;

namespace Aggregator.Benchmarks.Entries;

/// <summary>
/// The <c>entries</c> command: closed W1 entries per second and bytes allocated per entry, the actor kernel beside a
/// lock-based entry on the same producer threads; then release-to-sink latency at half the kernel's maximum rate.
/// The last line is the throughput RESULT.
/// </summary>
internal static class EntriesRun
{
    private const double LatencyTargetMicroseconds = 1000;

    /// <summary>What the run ends with when a round times out or loses an entry.</summary>
    private static readonly ResultLine ZeroResult = new("entries_w1_closed_per_sec", 0, "entries/s", 0);

    public static async Task<int> RunAsync(EntriesOptions options)
    {
        var budget = (options.Plan.VariantBudget + TimeSpan.FromSeconds(15)) * 2 + options.LatencyDuration * 4 + TimeSpan.FromSeconds(90);
        Console.WriteLine($"entries: {MachineDescription.CoresAndGc}, {options.Producers} producer threads, window {options.Window} entries in flight (all producers), " +
                          $"rounds={options.Plan.Rounds} x {(options.EntriesPerRound is { } n ? $"{n:N0} entries" : $"{options.Plan.RoundTarget.TotalSeconds:0.###} s")} (median reported), run budget {budget.TotalSeconds:0} s");
        Console.WriteLine($"workload: {options.Workload.Describe()}; tombstones {(options.Tombstones ? "on (defaults)" : "off")}");
        Console.WriteLine(SourceRevision.Describe("src/Actors/Kernel", "src/Actors/Entries"));
        Console.WriteLine($"load average before the run: {LoadAverage.Read()}");

        using var watchdog = new Watchdog(budget) { Current = "entries_w1_closed_per_sec" };
        var rows = new List<Measured>();
        var shards = 0;
        long windowWaits = 0;
        var variants = new List<Func<IThroughputVariant>> { () => new KernelEntriesVariant(options) };
        if (!options.KernelOnly) variants.Add(() => new LockedEntriesVariant(options));
        foreach (var create in variants)
        {
            rows.Add(await QuietMeasurement.RunAsync(create, options.Plan, "entries", ZeroResult,
                warmUp: variant => PreWarmAsync(variant, options),
                measured: variant =>
                {
                    if (variant is KernelEntriesVariant kernelVariant) (shards, windowWaits) = (kernelVariant.Shards, kernelVariant.WindowWaits);
                }).ConfigureAwait(false));
        }
        Print(rows, shards, windowWaits);
        var kernel = rows[0];
        if (options.KernelOnly)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"kernel only: {kernel.Median:N0} closed entries/s, {kernel.AllocatedBytesPerMessage:0} B/entry, " +
                                                                          $"{1e6 * Environment.ProcessorCount / kernel.Median:0.00} CPU-µs per entry at full load"));
            return 0;
        }
        var locked = rows[1];

        EntriesLatency.Result latency;
        watchdog.Current = "entries_w1_p99_release_to_sink";
        QuietWait.Until(TimeSpan.FromSeconds(10));
        try
        {
            latency = await EntriesLatency.RunAsync(options, kernel.Median / 2).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is RoundTimeoutException or MessageConservationException)
        {
            throw RunFailure.Exit($"entries latency: {exception.Message}", ZeroResult);
        }
        PrintLatency(latency);

        var busiest = Math.Max(rows.Max(r => r.OtherProcessesShare), latency.OtherProcessesShare);
        Console.WriteLine();
        Console.WriteLine(QuietVerdict.For(busiest));
        Console.WriteLine(new ResultLine("entries_w1_p99_release_to_sink", latency.P99, "us", LatencyTargetMicroseconds));
        Console.WriteLine(new ResultLine("entries_w1_allocated_per_entry", kernel.AllocatedBytesPerMessage, "bytes", locked.AllocatedBytesPerMessage));
        Console.WriteLine(new ResultLine("entries_w1_closed_per_sec", kernel.Median, "entries/s", locked.Median));
        Console.Out.Flush();
        return 0;
    }

    /// <summary>
    /// Small rounds for a second before the harness calibrates: a cold first round (tier-0 code, an empty heap, a small
    /// thread pool) runs at a third of the steady rate and would size every measured round far below the target.
    /// </summary>
    private static async Task PreWarmAsync(IThroughputVariant variant, EntriesOptions options)
    {
        var started = Stopwatch.GetTimestamp();
        var budget = options.Quick ? TimeSpan.FromSeconds(0.5) : TimeSpan.FromSeconds(1);
        while (Stopwatch.GetElapsedTime(started) < budget) await variant.RunRoundAsync(20_000, options.Plan.RoundTimeout).ConfigureAwait(false);
    }

    private static void Print(IReadOnlyList<Measured> rows, int shards, long windowWaits)
    {
        Console.WriteLine();
        Console.WriteLine($"== closed entries per second ({shards} shards; kernel producers found the window full {windowWaits:N0} times) ==");
        Console.WriteLine($"{"variant",-12} {"entries/s",12} {"min",12} {"max",12} {"vs lock",7} {"entries/round",13} {"alloc B/entry",13} {"CPU-µs/entry",12} {"GC 0/1/2",10} {"cpu",5} {"sys",5} {"csw/1k",7} {"other",6} {"pool",4}");
        var locked = rows[^1].Median;
        foreach (var row in rows)
        {
            var cpuMicroseconds = row.CpuShare * Environment.ProcessorCount * 1e6 / row.Median;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{row.Variant,-12} {row.Median,12:N0} {row.Min,12:N0} {row.Max,12:N0} {row.Median / locked,7:0.000} {row.MessagesPerRound,13:N0} {row.AllocatedBytesPerMessage,13:0.0} {cpuMicroseconds,12:0.00} {$"{row.Gen0Collections}/{row.Gen1Collections}/{row.Gen2Collections}",10} {row.CpuShare,5:P0} {row.SystemShare,5:P0} {row.ContextSwitchesPerThousand,7:0.00} {row.OtherProcessesShare,6:P0} {row.PoolThreads,4}"));
        }
        Console.Out.Flush();
    }

    private static void PrintLatency(EntriesLatency.Result r)
    {
        Console.WriteLine();
        Console.WriteLine("== release-to-sink latency at half the kernel's maximum rate (owner's Close -> closed entry in the sink actor) ==");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"offered {r.OfferedRate:N0} entries/s, achieved {r.AchievedRate:N0}; {r.Entries:N0} entries counted (warm-up excluded); producers behind schedule for {r.LateShare:P1} of entries, window full {r.WindowWaits:N0} times; cpu {r.CpuShare:P0}, other processes {r.OtherProcessesShare:P0}"));
        Console.WriteLine($"{"p50 µs",10} {"p90 µs",10} {"p99 µs",10} {"p99.9 µs",10} {"max µs",10} {"mean µs",10}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.P50,10:0.0} {r.P90,10:0.0} {r.P99,10:0.0} {r.P999,10:0.0} {r.Max,10:0.0} {r.Mean,10:0.0}"));
        Console.Out.Flush();
    }
}
