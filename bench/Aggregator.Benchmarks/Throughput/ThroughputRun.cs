using Aggregator.Benchmarks.Reporting;

namespace Aggregator.Benchmarks.Throughput;

/// <summary>
/// The <c>throughput</c> command: measures every selected shape's variants in this one process, prints a table per
/// configuration, then the RESULT lines (kernel-vs-Interlocked comparisons first, the kernel-vs-Channel lines last).
/// A timed-out round or a conservation failure prints a zero RESULT for its shape and ends the process with exit code 1.
/// </summary>
internal static class ThroughputRun
{
    /// <summary>Above this share of the CPU taken by other processes, the run is flagged as not trustworthy.</summary>
    private const double QuietThreshold = 0.05;

    public static async Task<int> RunAsync(ThroughputOptions options)
    {
        var groups = options.Shapes.SelectMany(shape => Shapes.GroupsFor(shape, options)).ToList();
        var budget = (options.Plan.VariantBudget + TimeSpan.FromSeconds(10)) * groups.Sum(g => g.Variants.Count) + TimeSpan.FromSeconds(60);
        Console.WriteLine($"throughput: {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, " +
                          $"GC server={System.Runtime.GCSettings.IsServerGC}, rounds={options.Plan.Rounds} x {options.Plan.RoundTarget.TotalSeconds:0.###} s " +
                          $"(median reported), round timeout {options.Plan.RoundTimeout.TotalSeconds:0} s, run budget {budget.TotalSeconds:0} s");

        Console.WriteLine($"load average before the run: {LoadAverage()}; Stopwatch.GetTimestamp costs {ClockCost.NanosecondsPerRead():0.0} ns " +
                          $"(frequency {System.Diagnostics.Stopwatch.Frequency:N0} Hz; the kernel reads it once per processed message)");

        using var watchdog = new Watchdog(budget);
        var busiest = 0.0;
        var comparisons = new List<ResultLine>();
        var results = new List<ResultLine>();
        foreach (var group in groups)
        {
            var rows = new List<Measured>();
            foreach (var create in group.Variants)
            {
                watchdog.Current = group.ResultName ?? "throughput_run";
                var waited = QuietWait.Until(TimeSpan.FromSeconds(10));
                if (waited > TimeSpan.FromSeconds(1)) Console.WriteLine($"(waited {waited.TotalSeconds:0.0} s for other processes to go quiet)");
                try
                {
                    await using var variant = create();
                    rows.Add(await Measurement.RunAsync(variant, options.Plan).ConfigureAwait(false));
                }
                catch (Exception exception) when (exception is RoundTimeoutException or MessageConservationException)
                {
                    Console.WriteLine($"FAILED {group.Title}: {exception.Message}");
                    Console.WriteLine(new ResultLine(group.ResultName ?? "throughput_run", 0, "msgs/s", 0));
                    Console.Out.Flush();
                    Environment.Exit(1); // a hung kernel may hold threads that would keep the process alive
                }
            }
            ThroughputTable.Print(group.Title, rows);
            busiest = Math.Max(busiest, rows.Max(r => r.OtherProcessesShare));
            if (group.ResultName is null) continue;
            var kernel = rows.Single(r => r.Variant == "kernel").Median;
            results.Add(new ResultLine(group.ResultName, kernel, "msgs/s", rows.Single(r => r.Variant == "channel").Median));
            if (group.ComparisonName is not null)
                comparisons.Add(new ResultLine(group.ComparisonName, kernel, "msgs/s", rows.Single(r => r.Variant == "interlocked").Median));
        }

        Console.WriteLine();
        Console.WriteLine(busiest > QuietThreshold
            ? $"WARNING: other processes took up to {busiest:P0} of the CPU during a measurement (column 'other'); these figures understate the kernel and its baselines alike. Re-run on a quiet machine."
            : $"machine was quiet: other processes took at most {busiest:P0} of the CPU during any measurement");
        foreach (var line in comparisons.Concat(results)) Console.WriteLine(line);
        Console.Out.Flush();
        return 0;
    }

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Trim(); }
        catch (IOException) { return "unknown"; }
    }
}
