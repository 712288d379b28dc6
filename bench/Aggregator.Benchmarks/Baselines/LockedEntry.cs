using Aggregator.Contracts;

namespace Aggregator.Benchmarks.Baselines;

/// <summary>
/// The entries baseline, built "the metrique way": one shared object per unit of work and no actors. Fields live in a
/// dictionary under a lock, counters are added with Interlocked, and a flush-guard count (the owner plus one per Wait
/// slot) emits the closed entry when it reaches zero, on whichever thread released last. It builds the same
/// <see cref="ClosedEntry"/> the entry actor builds, so the comparison is of the machinery, not of the output.
/// </summary>
internal sealed class LockedEntry
{
    private static readonly IReadOnlyDictionary<string, DistributionSummary> NoDistributions = new Dictionary<string, DistributionSummary>(0);

    private readonly LockedEntrySource source;
    private readonly string id;
    private readonly string operation;
    private readonly DateTimeOffset openedAt;
    private readonly long inFlightAtOpen;
    private readonly Lock gate = new();
    private readonly Dictionary<string, FieldValue> fields = new(StringComparer.Ordinal);
    private Dictionary<string, LockedCounter>? counters;
    private int guards = 1; // the owner's
    private int ownerReleased;

    public LockedEntry(LockedEntrySource source, string id, string operation)
    {
        this.source = source;
        this.id = id;
        this.operation = operation;
        openedAt = source.Clock.GetUtcNow();
        inFlightAtOpen = source.Stats.EnterFlight();
    }

    public void Set(string field, FieldValue value)
    {
        lock (gate) fields[field] = value;
    }

    public void Add(string counter, long delta) => Interlocked.Add(ref CounterFor(counter).Value, delta);

    /// <summary>A Wait slot: holds one flush guard until its sub-record is flattened in.</summary>
    public LockedEntrySlot OpenSlot(string slot)
    {
        Interlocked.Increment(ref guards);
        return new LockedEntrySlot(this, slot);
    }

    /// <summary>The owner releases (once); the entry is emitted here if every slot already completed.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref ownerReleased, 1) == 0) Release();
    }

    /// <summary>metrique's flatten: the slot's fields and counters join the entry as <c>slot.name</c>, then its guard is released.</summary>
    internal void Flatten(string prefix, Dictionary<string, FieldValue>? slotFields, Dictionary<string, long>? slotCounters)
    {
        lock (gate)
        {
            if (slotFields is not null) foreach (var (name, value) in slotFields) fields[prefix + "." + name] = value;
            if (slotCounters is not null)
                foreach (var (name, value) in slotCounters) Interlocked.Add(ref CounterForLocked(prefix + "." + name).Value, value);
        }
        Release();
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref guards) == 0) Emit();
    }

    /// <summary>Runs once, after the last guard: nobody writes any more, so the dictionaries are read without the lock.</summary>
    private void Emit()
    {
        var closedAt = source.Clock.GetUtcNow();
        var closedCounters = new Dictionary<string, long>(counters?.Count ?? 0, StringComparer.Ordinal);
        if (counters is not null) foreach (var (name, counter) in counters) closedCounters[name] = Interlocked.Read(ref counter.Value);
        var closed = new ClosedEntry(
            id,
            operation,
            source.GlobalDimensions,
            fields,
            closedCounters,
            NoDistributions,
            openedAt,
            closedAt,
            CloseReason.Completed,
            [],
            [],
            inFlightAtOpen);
        source.Stats.LeaveFlight();
        source.Emit(closed);
    }

    private LockedCounter CounterFor(string name)
    {
        lock (gate) return CounterForLocked(name);
    }

    private LockedCounter CounterForLocked(string name)
    {
        counters ??= new(StringComparer.Ordinal);
        if (!counters.TryGetValue(name, out var counter)) counters[name] = counter = new LockedCounter();
        return counter;
    }
}

/// <summary>A named counter of a <see cref="LockedEntry"/>: found under the lock once, added to with Interlocked.</summary>
internal sealed class LockedCounter
{
    public long Value;
}
