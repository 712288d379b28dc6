namespace Aggregator.Contracts.Client;

/// <summary>
/// A sub-task's handle to a slot of a remote entry. Unlike the in-process <c>SlotHandle</c>, which keeps writes and
/// hands them over on complete, each write here is its own slot message: the service's slot actor keeps them until
/// the slot completes, so the outcome is the same and the client holds no per-slot state. Complete or fail once;
/// <see cref="Dispose"/> completes. Use after that is a counted no-op.
/// </summary>
public sealed class RemoteSlotHandle : IDisposable
{
    private readonly AggregatorClient client;
    private int released;

    internal RemoteSlotHandle(AggregatorClient client, string entryId, string slot, bool alreadyReleased)
    {
        this.client = client;
        EntryId = entryId;
        Slot = slot;
        released = alreadyReleased ? 1 : 0;
    }

    public string EntryId { get; }
    public string Slot { get; }

    public RemoteSlotHandle Set(string field, FieldValue value) => Send(new SlotSet(EntryId, Slot, RemoteEntryHandle.Name(field), value));

    public RemoteSlotHandle Add(string counter, long delta = 1) => Send(new SlotAdd(EntryId, Slot, RemoteEntryHandle.Name(counter), delta));

    /// <summary>One observation of a slot distribution; a non-finite value is counted as unwritable.</summary>
    public RemoteSlotHandle Observe(string distribution, double value, FieldUnit unit = FieldUnit.None)
    {
        var name = RemoteEntryHandle.Name(distribution);
        if (double.IsFinite(value) || Volatile.Read(ref released) != 0) return Send(new SlotObserve(EntryId, Slot, name, value, unit));
        client.CountUnwritable();
        return this;
    }

    /// <summary>The sub-task is done: its sub-record joins the entry as <c>slot.field</c>.</summary>
    public void Complete()
    {
        if (Interlocked.Exchange(ref released, 1) == 0) client.Tell(new CompleteSlot(EntryId, Slot));
        else client.CountUseAfterClose();
    }

    /// <summary>The sub-task failed: the slot is listed in failedSlots and what it wrote is dropped.</summary>
    public void Fail(string reason)
    {
        if (Interlocked.Exchange(ref released, 1) == 0) client.Tell(new FailSlot(EntryId, Slot, reason ?? "unspecified"));
        else client.CountUseAfterClose();
    }

    /// <summary>Completes, unless already completed or failed.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref released, 1) == 0) client.Tell(new CompleteSlot(EntryId, Slot));
    }

    private RemoteSlotHandle Send(IEntryMessage message)
    {
        if (Volatile.Read(ref released) != 0) client.CountUseAfterClose();
        else client.Tell(message);
        return this;
    }
}
