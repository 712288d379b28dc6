using Aggregator.Benchmarks.Throughput;
using Aggregator.Contracts;

namespace Aggregator.Benchmarks.Entries;

/// <summary>
/// The counting sink's state, shared by the kernel's sink actor and the baseline's inline sink so both do the same
/// work per closed entry: check it is the entry the workload built (fields, counter, reason), count it, and end the
/// round at the expected count. Producers read <see cref="Closed"/> to keep their window of entries in flight.
/// </summary>
internal sealed class ClosedEntryTally(EntryWorkload workload)
{
    private long closed;
    private long malformed;
    private long target = long.MaxValue;
    private RoundLatch? latch;

    /// <summary>Closed entries counted since the tally was created (over all rounds).</summary>
    public long Closed => Volatile.Read(ref closed);

    /// <summary>Closed entries that were not what the workload built (wrong field count, counter or close reason).</summary>
    public long Malformed => Volatile.Read(ref malformed);

    /// <summary>Runs after every count, on the sink's thread (the in-flight window wakes its producers here).</summary>
    public Action? Counted { get; set; }

    /// <summary>Signals <paramref name="roundLatch"/> once the total count reaches <paramref name="total"/>.</summary>
    public void Arm(long total, RoundLatch roundLatch)
    {
        Volatile.Write(ref latch, roundLatch);
        Volatile.Write(ref target, total);
        if (Closed >= total) roundLatch.Signal(0);
    }

    public void Count(ClosedEntry entry)
    {
        if (!workload.Matches(entry)) Interlocked.Increment(ref malformed);
        if (Interlocked.Increment(ref closed) == Volatile.Read(ref target)) Volatile.Read(ref latch)!.Signal(0);
        Counted?.Invoke();
    }
}
