using Aggregator.Benchmarks.Reporting;

namespace Aggregator.Benchmarks.Throughput;

/// <summary>
/// The <c>throughput</c> command: measures every selected shape's variants in this one process, prints a table per
/// configuration, then the RESULT lines (kernel-vs-Interlocked comparisons first, the kernel-vs-Channel lines last).
/// A timed-out round or a conservation failure prints a zero RESULT for its shape and ends the process with exit code 1.
/// </summary>
internal static class ThroughputRun
{
    public static async Task<int> RunAsync(ThroughputOptions options)
    {
        var groups = options.Shapes.SelectMany(shape => Shapes.GroupsFor(shape, options)).ToList();
        var budget = (options.Plan.VariantBudget + TimeSpan.FromSeconds(10)) * groups.Sum(g => g.Variants.Count) + TimeSpan.FromSeconds(60);
        Console.WriteLine($"throughput: {MachineDescription.CoresAndGc}, rounds={options.Plan.Rounds} x {options.Plan.RoundTarget.TotalSeconds:0.###} s " +
                          $"(median reported), round timeout {options.Plan.RoundTimeout.TotalSeconds:0} s, run budget {budget.TotalSeconds:0} s");

        Console.WriteLine($"load average before the run: {LoadAverage.Read()}; Stopwatch.GetTimestamp costs {ClockCost.NanosecondsPerRead():0.0} ns " +
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
                rows.Add(await QuietMeasurement.RunAsync(create, options.Plan, group.Title, new ResultLine(group.ResultName ?? "throughput_run", 0, "msgs/s", 0)).ConfigureAwait(false));
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
        Console.WriteLine(QuietVerdict.For(busiest, "these figures understate the kernel and its baselines alike. Re-run on a quiet machine."));
        foreach (var line in comparisons.Concat(results)) Console.WriteLine(line);
        Console.Out.Flush();
        return 0;
    }
}
