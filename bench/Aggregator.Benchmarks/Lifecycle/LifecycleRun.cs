using System.Globalization;
using Aggregator.Benchmarks.Reporting;
using Aggregator.Benchmarks.Throughput;

namespace Aggregator.Benchmarks.Lifecycle;

/// <summary>
/// The <c>lifecycle</c> command: how many short-lived actors the kernel creates, runs and stops per second, and what
/// each costs in allocated bytes, beside the same tree of plain objects. Entries will be such trees (an entry actor
/// and its slot actors), so this is the cost that bounds entries per second.
/// </summary>
internal static class LifecycleRun
{
    public static async Task<int> RunAsync(LifecycleOptions options)
    {
        var budget = (options.Plan.VariantBudget + TimeSpan.FromSeconds(10)) * 2 + TimeSpan.FromSeconds(60);
        Console.WriteLine($"lifecycle: {MachineDescription.Cores}, {options.Producers} producer threads, {options.InFlight} trees in flight; a tree is a parent, " +
                          $"{LifecycleMessages.ChildrenPerParent} watched children and {LifecycleMessages.MessagesPerChild} messages per child; " +
                          $"rounds={options.Plan.Rounds} x {options.Plan.RoundTarget.TotalSeconds:0.###} s (median reported)");

        using var watchdog = new Watchdog(budget) { Current = "kernel_actor_lifecycles_per_sec" };
        var rows = new List<Measured>();
        foreach (var create in new Func<IThroughputVariant>[] { () => LifecycleVariants.Kernel(options), () => LifecycleVariants.Plain(options) })
            rows.Add(await QuietMeasurement.RunAsync(create, options.Plan, "lifecycle", new ResultLine("kernel_actor_lifecycles_per_sec", 0, "lifecycles/s", 0)).ConfigureAwait(false));

        Print(rows);
        var kernel = rows[0];
        var plain = rows[1];
        var busiest = rows.Max(r => r.OtherProcessesShare);
        Console.WriteLine();
        Console.WriteLine(QuietVerdict.For(busiest));
        Console.WriteLine(new ResultLine("kernel_actor_lifecycle_bytes", kernel.AllocatedBytesPerMessage, "bytes/actor", plain.AllocatedBytesPerMessage));
        Console.WriteLine(new ResultLine("kernel_actor_lifecycles_per_sec", kernel.Median, "lifecycles/s", plain.Median));
        Console.Out.Flush();
        return 0;
    }

    private static void Print(IReadOnlyList<Measured> rows)
    {
        Console.WriteLine();
        Console.WriteLine($"{"variant",-14} {"lifecycles/s",13} {"min",12} {"max",12} {"vs plain",8} {"actors/round",12} {"alloc B/actor",13} {"GC 0/1/2",10} {"cpu",5} {"sys",5} {"other",6} {"pool",4}");
        var plain = rows[^1].Median;
        foreach (var row in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{row.Variant,-14} {row.Median,13:N0} {row.Min,12:N0} {row.Max,12:N0} {row.Median / plain,8:0.000} {row.MessagesPerRound,12:N0} {row.AllocatedBytesPerMessage,13:0.0} {$"{row.Gen0Collections}/{row.Gen1Collections}/{row.Gen2Collections}",10} {row.CpuShare,5:P0} {row.SystemShare,5:P0} {row.OtherProcessesShare,6:P0} {row.PoolThreads,4}"));
        }
        Console.Out.Flush();
    }
}
