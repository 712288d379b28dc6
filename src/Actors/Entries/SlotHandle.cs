using Aggregator.Actors.Kernel;
using Aggregator.Contracts;

namespace Aggregator.Actors.Entries;

/// <summary>
/// A sub-task's handle to its slot (metrique's <c>SlotGuard</c>): writes go to the slot's child actor and are
/// flattened into the entry as <c>slot.field</c> on <see cref="Complete"/> (also what <see cref="Dispose"/> does).
/// Safe from any thread; use after completion is a counted no-op.
/// </summary>
public sealed class SlotHandle : IDisposable
{
    private readonly ICanTell region;
    private readonly OperationStats stats;
    private int released;

    internal SlotHandle(ICanTell region, string entryId, string slot, OperationStats stats, bool alreadyReleased)
    {
        this.region = region;
        EntryId = entryId;
        Slot = slot;
        this.stats = stats;
        released = alreadyReleased ? 1 : 0;
    }

    public string EntryId { get; }
    public string Slot { get; }

    public SlotHandle Set(string field, FieldValue value) => Send(new SlotSet(EntryId, Slot, EntryHandle.Name(field), value));

    public SlotHandle Add(string counter, long delta = 1) => Send(new SlotAdd(EntryId, Slot, EntryHandle.Name(counter), delta));

    public SlotHandle Observe(string distribution, double value, FieldUnit unit = FieldUnit.None) =>
        Send(new SlotObserve(EntryId, Slot, EntryHandle.Name(distribution), value, unit));

    /// <summary>The sub-task is done: its sub-record joins the entry and a Wait slot stops holding it open.</summary>
    public void Complete() => Finish(new CompleteSlot(EntryId, Slot));

    /// <summary>The sub-task failed: the slot's child crashes and the entry lists the slot in failedSlots.</summary>
    public void Fail(string reason) => Finish(new FailSlot(EntryId, Slot, reason ?? "unspecified"));

    public void Dispose()
    {
        if (Interlocked.Exchange(ref released, 1) == 0) region.Tell(new CompleteSlot(EntryId, Slot));
    }

    private void Finish(ISlotMessage message)
    {
        if (Interlocked.Exchange(ref released, 1) == 0) region.Tell(message);
        else OperationStats.Count(ref stats.useAfterClose);
    }

    private SlotHandle Send(ISlotMessage message)
    {
        if (Volatile.Read(ref released) != 0) OperationStats.Count(ref stats.useAfterClose);
        else region.Tell(message);
        return this;
    }
}
