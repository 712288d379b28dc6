using Aggregator.Contracts;

namespace Aggregator.Actors.Entries;

/// <summary>
/// Counters for one operation, shared by its shards and entries (Interlocked: several actors write them), so
/// nothing an entry drops goes unseen. <see cref="InFlight"/> is metrique's <c>Counter::increment_scoped</c>.
/// </summary>
public sealed class OperationStats(string operation)
{
    internal long opened, inFlight, discarded, duplicateOpens, late, orphans, useAfterClose, droppedSlots, rejected, tombstonesEvicted, refused;
    internal readonly long[] closed = new long[Enum.GetValues<CloseReason>().Length];

    public string Operation { get; } = operation;

    /// <summary>Entries of this operation open right now (the gauge).</summary>
    public long InFlight => Volatile.Read(ref inFlight);

    /// <summary>Increments the gauge for a newly opened entry and returns the new value (the entry's inFlightAtOpen).</summary>
    internal long EnterFlight()
    {
        Interlocked.Increment(ref opened);
        return Interlocked.Increment(ref inFlight);
    }

    /// <summary>A restored entry is in flight here again; it was opened (and counted as opened) by the process that checkpointed it.</summary>
    internal void EnterFlightRestored() => Interlocked.Increment(ref inFlight);

    internal void LeaveFlight() => Interlocked.Decrement(ref inFlight);

    internal void CountClosed(CloseReason reason) => Interlocked.Increment(ref closed[(int)reason]);

    internal static void Count(ref long counter) => Interlocked.Increment(ref counter);

    public OperationStatsSnapshot Snapshot() => new(
        Operation,
        Interlocked.Read(ref opened),
        InFlight,
        Enum.GetValues<CloseReason>().ToDictionary(r => r, r => Interlocked.Read(ref closed[(int)r])),
        Interlocked.Read(ref discarded),
        Interlocked.Read(ref duplicateOpens),
        Interlocked.Read(ref late),
        Interlocked.Read(ref orphans),
        Interlocked.Read(ref useAfterClose),
        Interlocked.Read(ref droppedSlots),
        Interlocked.Read(ref rejected),
        Interlocked.Read(ref tombstonesEvicted),
        Interlocked.Read(ref refused));
}

/// <summary>
/// One operation's counters at a moment. Late: for an ended entry or slot. Orphans: for an id or slot never
/// opened. UseAfterClose: a handle used after its owner closed it. DroppedSlots: slots still open when
/// their entry closed (a Discard slot, or any slot at a force flush, timeout, expiry or shutdown): their data is lost. Rejected: invalid input (NaN, unknown guard release, duplicate slot).
/// Refused: Opens turned away because the sinks were full (backpressure).
/// </summary>
public sealed record OperationStatsSnapshot(
    string Operation,
    long Opened,
    long InFlight,
    IReadOnlyDictionary<CloseReason, long> Closed,
    long Discarded,
    long DuplicateOpens,
    long Late,
    long Orphans,
    long UseAfterClose,
    long DroppedSlots,
    long Rejected,
    long TombstonesEvicted,
    long Refused)
{
    public long ClosedTotal => Closed.Values.Sum();
}
