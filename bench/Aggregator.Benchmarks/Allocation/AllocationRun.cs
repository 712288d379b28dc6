using Aggregator.Benchmarks.Reporting;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Aggregator.Benchmarks.Allocation;

/// <summary>
/// The <c>bdn</c> command: runs the BenchmarkDotNet suite with a short in-process job (3 warm-up + 3 measured
/// iterations, no child build, so the suite stays within a few minutes on two cores), then prints the allocation
/// RESULT computed from the summary. Artifacts go under the build output, never into the repository root.
/// </summary>
internal static class AllocationRun
{
    public static int Run(IReadOnlyList<string> bdnArgs)
    {
        var job = Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortRun-InProcess");
        var config = DefaultConfig.Instance
            .AddJob(job)
            .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
        string[] args = bdnArgs.Count == 0 ? ["--filter", "*"] : [.. bdnArgs]; // no filter would make BDN prompt and wait
        var summaries = BenchmarkSwitcher.FromTypes([typeof(TellAllocationBenchmarks)]).Run(args, config).ToList();

        var kernel = BytesPerOperation(summaries, nameof(TellAllocationBenchmarks.KernelTell));
        var channel = BytesPerOperation(summaries, nameof(TellAllocationBenchmarks.ChannelWrite));

        var (kernelProcessWide, channelProcessWide) = ProcessWideAllocation.Measure();
        Console.WriteLine();
        Console.WriteLine("Process-wide allocation per message (GC.GetTotalAllocatedBytes, all threads, "
                          + $"{TellAllocationBenchmarks.Batch}-message batches drained each time):");
        Console.WriteLine(new ResultLine("kernel_tell_alloc_bytes_process_wide", kernelProcessWide, "bytes", channelProcessWide));
        if (kernel is null || channel is null)
            Console.WriteLine("note: KernelTell or ChannelWrite did not report allocation (filtered out or failed); its side prints as nan");
        Console.WriteLine(new ResultLine("kernel_tell_alloc_bytes", kernel ?? double.NaN, "bytes", channel ?? double.NaN));
        return kernel is null ? 1 : 0;
    }

    /// <summary>MemoryDiagnoser's bytes per operation (already divided by OperationsPerInvoke) for one benchmark method.</summary>
    private static double? BytesPerOperation(IEnumerable<Summary> summaries, string method)
    {
        foreach (var summary in summaries)
            foreach (var report in summary.Reports)
            {
                if (report.BenchmarkCase.Descriptor.WorkloadMethod.Name != method || !report.Success) continue;
                return report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
            }
        return null;
    }
}
