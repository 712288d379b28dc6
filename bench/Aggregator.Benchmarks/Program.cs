using Aggregator.Benchmarks.Allocation;
using Aggregator.Benchmarks.Cluster;
using Aggregator.Benchmarks.Entries;
using Aggregator.Benchmarks.Footprint;
using Aggregator.Benchmarks.Lifecycle;
using Aggregator.Benchmarks.Load;
using Aggregator.Benchmarks.Persist;
using Aggregator.Benchmarks.Sketch;
using Aggregator.Benchmarks.Throughput;

namespace Aggregator.Benchmarks;

/// <summary>Entry point: dispatches to the throughput harness, the BenchmarkDotNet suite, or both.</summary>
public static class Program
{
    private const string Usage =
        "usage: dotnet run -c Release --project bench/Aggregator.Benchmarks -- <command>\n" +
        "  " + ThroughputOptions.Usage + "\n" +
        "             messages/s of the actor kernel beside a raw Channel and Interlocked counters (Stopwatch, median of rounds)\n" +
        "  bdn [BenchmarkDotNet args, default --filter *]\n" +
        "             allocation per Tell (MemoryDiagnoser, short in-process job)\n" +
        "  " + FootprintRun.Usage + "\n" +
        "  " + LifecycleOptions.Usage + "\n" +
        "  " + EntriesOptions.Usage + "\n" +
        "  " + SketchOptions.Usage + "\n" +
        "  " + PersistOptions.Usage + "\n" +
        "  " + LoadOptions.Usage + "\n" +
        "  " + ClusterBenchOptions.Usage + "\n" +
        "  all [throughput options]\n" +
        "             throughput for every shape, then entries, then bdn; the last line is the allocation RESULT";

    public static async Task<int> Main(string[] args)
    {
        try
        {
            switch (args)
            {
                case []:
                    Console.WriteLine(Usage);
                    return 0;
                case ["throughput", .. var rest]:
                    return await ThroughputRun.RunAsync(ThroughputOptions.Parse(rest)).ConfigureAwait(false);
                case ["bdn", .. var rest]:
                    return AllocationRun.Run(rest);
                case ["footprint", .. var rest]:
                    return await FootprintRun.RunAsync(rest).ConfigureAwait(false);
                case ["lifecycle", .. var rest]:
                    return await LifecycleRun.RunAsync(LifecycleOptions.Parse(rest)).ConfigureAwait(false);
                case ["entries", .. var rest]:
                    return await EntriesRun.RunAsync(EntriesOptions.Parse(rest)).ConfigureAwait(false);
                case ["sketch", .. var rest]:
                    return SketchRun.Run(SketchOptions.Parse(rest));
                case ["persist", .. var rest]:
                    return await PersistRun.RunAsync(PersistOptions.Parse(rest)).ConfigureAwait(false);
                case ["load", .. var rest]:
                    return await LoadRun.RunAsync(LoadOptions.Parse(rest)).ConfigureAwait(false);
                case ["cluster", .. var rest]:
                    return await ClusterRun.RunAsync(ClusterBenchOptions.Parse(rest)).ConfigureAwait(false);
                case ["all", .. var rest]:
                    var options = ThroughputOptions.Parse(rest);
                    var failed = await ThroughputRun.RunAsync(options).ConfigureAwait(false);
                    var entries = await EntriesRun.RunAsync(new EntriesOptions()).ConfigureAwait(false);
                    failed = failed != 0 ? failed : entries;
                    var allocation = AllocationRun.Run([]);
                    return failed != 0 ? failed : allocation;
                default:
                    Console.Error.WriteLine($"unknown command '{args[0]}'");
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }
        catch (ArgumentException exception)
        {
            Console.Error.WriteLine(exception.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }
    }
}
