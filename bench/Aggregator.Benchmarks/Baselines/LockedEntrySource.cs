using Aggregator.Contracts;

namespace Aggregator.Benchmarks.Baselines;

/// <summary>
/// Opens lock-based entries and receives them closed: what the entry region and its sink are to the actor version.
/// Ids are generated the way <c>EntryRegion.Open</c> generates them, and the in-flight gauge is kept with Interlocked
/// as the region's per-operation counters are, so both sides pay for the same bookkeeping.
/// </summary>
internal sealed class LockedEntrySource(Action<ClosedEntry> sink)
{
    public TimeProvider Clock { get; } = TimeProvider.System;

    public IReadOnlyDictionary<string, string> GlobalDimensions { get; } = System.Collections.Frozen.FrozenDictionary<string, string>.Empty;

    public LockedEntryStats Stats { get; } = new();

    public LockedEntry Open(string operation) => new(this, Guid.CreateVersion7().ToString("N"), operation);

    internal void Emit(ClosedEntry closed)
    {
        Stats.CountClosed();
        sink(closed);
    }
}

/// <summary>The baseline's per-operation counters: opened, in flight (the gauge) and closed, shared by every producer thread.</summary>
internal sealed class LockedEntryStats
{
    private long opened, inFlight, closed;

    public long Closed => Interlocked.Read(ref closed);

    public long EnterFlight()
    {
        Interlocked.Increment(ref opened);
        return Interlocked.Increment(ref inFlight);
    }

    public void LeaveFlight() => Interlocked.Decrement(ref inFlight);

    public void CountClosed() => Interlocked.Increment(ref closed);
}
