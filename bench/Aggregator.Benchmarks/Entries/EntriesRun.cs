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
    private const double QuietThreshold = 0.05;
    private const double LatencyTargetMicroseconds = 1000;

    public static async Task<int> RunAsync(EntriesOptions options)
    {
        var budget = (options.Plan.VariantBudget + TimeSpan.FromSeconds(15)) * 2 + options.LatencyDuration * 4 + TimeSpan.FromSeconds(90);
        Console.WriteLine($"entries: {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, " +
                          $"GC server={System.Runtime.GCSettings.IsServerGC}, {options.Producers} producer threads, window {options.Window} entries in flight (all producers), " +
                          $"rounds={options.Plan.Rounds} x {(options.EntriesPerRound is { } n ? $"{n:N0} entries" : $"{options.Plan.RoundTarget.TotalSeconds:0.###} s")} (median reported), run budget {budget.TotalSeconds:0} s");
        Console.WriteLine($"workload: {options.Workload.Describe()}; tombstones {(options.Tombstones ? "on (defaults)" : "off")}");
        Console.WriteLine($"source: commit {Git("rev-parse --short HEAD")}; uncommitted files in src/Actors/Kernel: {GitStatusCount("src/Actors/Kernel")}, in src/Actors/Entries: {GitStatusCount("src/Actors/Entries")}");
        Console.WriteLine($"load average before the run: {LoadAverage()}");

        using var watchdog = new Watchdog(budget) { Current = "entries_w1_closed_per_sec" };
        var rows = new List<Measured>();
        var shards = 0;
        long windowWaits = 0;
        var variants = new List<Func<IThroughputVariant>> { () => new KernelEntriesVariant(options) };
        if (!options.KernelOnly) variants.Add(() => new LockedEntriesVariant(options));
        foreach (var create in variants)
        {
            var waited = QuietWait.Until(TimeSpan.FromSeconds(10));
            if (waited > TimeSpan.FromSeconds(1)) Console.WriteLine($"(waited {waited.TotalSeconds:0.0} s for other processes to go quiet)");
            try
            {
                await using var variant = create();
                await PreWarmAsync(variant, options).ConfigureAwait(false);
                rows.Add(await Measurement.RunAsync(variant, options.Plan).ConfigureAwait(false));
                if (variant is KernelEntriesVariant kernelVariant) (shards, windowWaits) = (kernelVariant.Shards, kernelVariant.WindowWaits);
            }
            catch (Exception exception) when (exception is RoundTimeoutException or MessageConservationException)
            {
                Fail($"entries: {exception.Message}");
                return 1;
            }
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
            Fail($"entries latency: {exception.Message}");
            return 1;
        }
        PrintLatency(latency);

        var busiest = Math.Max(rows.Max(r => r.OtherProcessesShare), latency.OtherProcessesShare);
        Console.WriteLine();
        Console.WriteLine(busiest > QuietThreshold
            ? $"WARNING: other processes took up to {busiest:P0} of the CPU during a measurement (column 'other'); re-run on a quiet machine."
            : $"machine was quiet: other processes took at most {busiest:P0} of the CPU during any measurement");
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

    private static void Fail(string why)
    {
        Console.WriteLine($"FAILED {why}");
        Console.WriteLine(new ResultLine("entries_w1_closed_per_sec", 0, "entries/s", 0));
        Console.Out.Flush();
        Environment.Exit(1); // a hung kernel may hold threads that would keep the process alive
    }

    private static string GitStatusCount(string path)
    {
        var status = Git($"status --short -- {path}");
        return status == "unknown" ? status : status.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Which source was measured; "unknown" outside a git checkout.</summary>
    private static string Git(string arguments)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (git is null) return "unknown";
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Trim(); }
        catch (IOException) { return "unknown"; }
    }
}
