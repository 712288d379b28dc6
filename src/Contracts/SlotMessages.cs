namespace Aggregator.Contracts;

/// <summary>
/// Opens a slot: the entry starts a child actor that owns the sub-record. A <see cref="SlotMode.Wait"/> slot
/// holds a flush guard until the child completes or stops.
/// </summary>
public sealed record OpenSlot(string EntryId, string Slot, SlotMode Mode = SlotMode.Wait) : ISlotMessage;

/// <summary>A field of the slot's sub-record, flattened into the entry as <c>slot.field</c> when the slot completes.</summary>
public sealed record SlotSet(string EntryId, string Slot, string Field, FieldValue Value) : ISlotMessage;

/// <summary>Adds to a counter of the slot, flattened into the entry as <c>slot.counter</c>.</summary>
public sealed record SlotAdd(string EntryId, string Slot, string Counter, long Delta) : ISlotMessage;

/// <summary>An observation of the slot's distribution, merged into the entry's <c>slot.distribution</c>.</summary>
public sealed record SlotObserve(string EntryId, string Slot, string Distribution, double Value, FieldUnit Unit = FieldUnit.None) : ISlotMessage;

/// <summary>The sub-task is done: the slot hands its sub-record to the entry and releases its guard.</summary>
public sealed record CompleteSlot(string EntryId, string Slot) : ISlotMessage;

/// <summary>The sub-task failed: the slot's child crashes, its guard is released and it is listed in failedSlots.</summary>
public sealed record FailSlot(string EntryId, string Slot, string Reason) : ISlotMessage;
