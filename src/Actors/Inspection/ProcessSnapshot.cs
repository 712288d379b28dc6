using System.Diagnostics;

namespace Aggregator.Actors.Inspection;

/// <summary>The process around the actors at one moment (CPU, memory, GC), so a hot node can be told from a hot actor.</summary>
public sealed record ProcessSnapshot(
    TimeSpan CpuTime,
    long WorkingSetBytes,
    long ManagedHeapBytes,
    IReadOnlyList<long> GcCollections,
    TimeSpan GcPauseTime,
    DateTimeOffset StartedAt,
    int ProcessorCount)
{
    /// <summary>Reads the current process.</summary>
    public static ProcessSnapshot Take()
    {
        using var process = Process.GetCurrentProcess();
        return new ProcessSnapshot(
            process.TotalProcessorTime,
            process.WorkingSet64,
            GC.GetTotalMemory(forceFullCollection: false),
            Enumerable.Range(0, GC.MaxGeneration + 1).Select(g => (long)GC.CollectionCount(g)).ToList(),
            GC.GetTotalPauseDuration(),
            new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero),
            Environment.ProcessorCount);
    }
}
