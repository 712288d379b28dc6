using System.Globalization;
using Aggregator.Benchmarks.Throughput;

namespace Aggregator.Benchmarks.Reporting;

/// <summary>Prints one shape's measured variants side by side, so a reader sees the kernel next to its baselines.</summary>
internal static class ThroughputTable
{
    public static void Print(string title, IReadOnlyList<Measured> rows)
    {
        var channel = rows.FirstOrDefault(r => r.Variant == "channel")?.Median;
        Console.WriteLine();
        Console.WriteLine($"== {title} ==");
        Console.WriteLine($"{"variant",-22} {"median msg/s",14} {"min",12} {"max",12} {"vs channel",10} {"msgs/round",12} {"alloc B/msg",11} {"GC 0/1/2",12} {"cpu",5} {"sys",5} {"csw/1k",7} {"other",6} {"pool",4}");
        foreach (var row in rows)
        {
            var ratio = channel is > 0 ? (row.Median / channel.Value).ToString("0.00", CultureInfo.InvariantCulture) : "-";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{row.Variant,-22} {row.Median,14:N0} {row.Min,12:N0} {row.Max,12:N0} {ratio,10} {row.MessagesPerRound,12:N0} {row.AllocatedBytesPerMessage,11:0.000} {$"{row.Gen0Collections}/{row.Gen1Collections}/{row.Gen2Collections}",12} {row.CpuShare,5:P0} {row.SystemShare,5:P0} {row.ContextSwitchesPerThousand,7:0.00} {row.OtherProcessesShare,6:P0} {row.PoolThreads,4}"));
        }
        Console.Out.Flush();
    }
}
