using Aggregator.Actors.Kernel;
using Aggregator.Contracts;

namespace Aggregator.Actors.Entries;

/// <summary>
/// A sub-task's handle to its slot (metrique's <c>SlotGuard</c>). Like a <c>SlotGuard</c>, it keeps what the sub-task
/// writes and hands it over on <see cref="Complete"/> (also what <see cref="Dispose"/> does): one message to the
/// slot's child actor, which passes the sub-record to its entry to be flattened as <c>slot.field</c>. Nothing a slot
/// holds is visible before it completes, so keeping the writes here changes no outcome and saves a mailbox turn per
/// write. Safe from any thread; use after completion is a counted no-op, never an exception.
/// </summary>
public sealed class SlotHandle : IDisposable
{
    private readonly ICanTell target;
    private readonly OperationStats stats;
    private readonly int maxRetainedObservations;
    private readonly object gate = new();
    private EntryRecord? record;
    private bool released;

    internal SlotHandle(ICanTell target, string entryId, string slot, OperationStats stats, int maxRetainedObservations, bool alreadyReleased)
    {
        this.target = target;
        EntryId = entryId;
        Slot = slot;
        this.stats = stats;
        this.maxRetainedObservations = maxRetainedObservations;
        released = alreadyReleased;
    }

    public string EntryId { get; }
    public string Slot { get; }

    public SlotHandle Set(string field, FieldValue value)
    {
        var name = EntryHandle.Name(field);
        lock (gate)
        {
            if (released) OperationStats.Count(ref stats.useAfterClose);
            else Record.Set(name, value);
        }
        return this;
    }

    public SlotHandle Add(string counter, long delta = 1)
    {
        var name = EntryHandle.Name(counter);
        lock (gate)
        {
            if (released) OperationStats.Count(ref stats.useAfterClose);
            else Record.Add(name, delta);
        }
        return this;
    }

    /// <summary>One observation of a slot distribution; a non-finite value is rejected and counted.</summary>
    public SlotHandle Observe(string distribution, double value, FieldUnit unit = FieldUnit.None)
    {
        var name = EntryHandle.Name(distribution);
        lock (gate)
        {
            if (released) OperationStats.Count(ref stats.useAfterClose);
            else if (!double.IsFinite(value)) OperationStats.Count(ref stats.rejected);
            else Record.Observe(name, value, unit);
        }
        return this;
    }

    /// <summary>The sub-task is done: its sub-record joins the entry and a Wait slot stops holding it open.</summary>
    public void Complete()
    {
        if (TakeRecord(out var written)) target.Tell(new CompleteSlotWith(EntryId, Slot, written));
        else OperationStats.Count(ref stats.useAfterClose);
    }

    /// <summary>The sub-task failed: what it wrote is dropped, the slot's child crashes and the entry lists the slot in failedSlots.</summary>
    public void Fail(string reason)
    {
        if (TakeRecord(out _)) target.Tell(new FailSlot(EntryId, Slot, reason ?? "unspecified"));
        else OperationStats.Count(ref stats.useAfterClose);
    }

    /// <summary>Completes, unless already completed or failed (then nothing happens and nothing is counted).</summary>
    public void Dispose()
    {
        if (TakeRecord(out var written)) target.Tell(new CompleteSlotWith(EntryId, Slot, written));
    }

    private EntryRecord Record => record ??= new EntryRecord(maxRetainedObservations);

    private bool TakeRecord(out EntryRecord? written)
    {
        lock (gate)
        {
            written = record;
            record = null;
            if (released) return false;
            released = true;
            return true;
        }
    }
}
