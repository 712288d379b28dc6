using System.Diagnostics;
using Aggregator.Benchmarks.Throughput;

namespace Aggregator.Benchmarks.Persist;

/// <summary>
/// What happened in the process and on the machine around one measured round: allocation (process-wide), collections,
/// this process's CPU and every process's CPU (the PostgreSQL server's work shows only in the latter). Started after
/// the round's entries were built and collected, so neither shows up here.
/// </summary>
internal sealed class PersistRound
{
    private readonly long allocated = GC.GetTotalAllocatedBytes(precise: true);
    private readonly int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
    private readonly ProcessUsage usage = ProcessUsage.Now();
    private readonly MachineLoad machine = MachineLoad.Now();
    private readonly long started = Stopwatch.GetTimestamp();

    public static PersistRound Start()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return new PersistRound();
    }

    public RoundFigures Stop(long entries, TimeSpan elapsed)
    {
        var wall = Stopwatch.GetElapsedTime(started);
        var process = ProcessUsage.Now() - usage;
        var all = MachineLoad.Now() - machine;
        var cpu = process.User + process.System;
        return new RoundFigures(
            entries,
            elapsed,
            (double)(GC.GetTotalAllocatedBytes(precise: true) - allocated) / entries,
            GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2,
            cpu.TotalMicroseconds / entries,
            (all.Busy + all.Steal).TotalMicroseconds / entries,
            Math.Max(0, (all.Busy + all.Steal - cpu) / (wall * Environment.ProcessorCount)));
    }
}

/// <summary>
/// One round: entries and time; bytes allocated per entry; GC counts; CPU-µs per entry of this process and of the
/// whole machine; <see cref="OtherShare"/> = CPU taken by other processes (for PostgreSQL that includes the server).
/// </summary>
internal sealed record RoundFigures(long Entries, TimeSpan Elapsed, double BytesPerEntry, int Gen0, int Gen1, int Gen2,
    double ProcessMicrosecondsPerEntry, double MachineMicrosecondsPerEntry, double OtherShare)
{
    public double Rate => Entries / Elapsed.TotalSeconds;
}
