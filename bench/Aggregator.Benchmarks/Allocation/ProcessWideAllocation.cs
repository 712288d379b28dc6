namespace Aggregator.Benchmarks.Allocation;

/// <summary>
/// The complement of MemoryDiagnoser (which sees only the calling thread): runs the same batches and reads
/// <see cref="GC.GetTotalAllocatedBytes(bool)"/> for the whole process, so allocations on the actor's or reader's
/// thread (mailbox turns, scheduling, channel continuations) count as well.
/// </summary>
internal static class ProcessWideAllocation
{
    private const int WarmUpBatches = 200;
    private const int MeasuredBatches = 2000;

    /// <summary>Bytes allocated per message, process-wide, for the kernel Tell and the Channel write.</summary>
    public static (double Kernel, double Channel) Measure()
    {
        var benchmarks = new TellAllocationBenchmarks();
        benchmarks.Setup();
        try
        {
            return (PerMessage(benchmarks.KernelTell), PerMessage(benchmarks.ChannelWrite));
        }
        finally
        {
            benchmarks.Cleanup();
        }
    }

    private static double PerMessage(Action batch)
    {
        for (var i = 0; i < WarmUpBatches; i++) batch();
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < MeasuredBatches; i++) batch();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        return (double)allocated / ((long)MeasuredBatches * TellAllocationBenchmarks.Batch);
    }
}
