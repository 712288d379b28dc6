using Aggregator.Actors.Kernel;
using Aggregator.Contracts;

namespace Aggregator.Actors.Entries;

/// <summary>
/// A slot's child actor: owns one sub-record that a sub-task fills in (metrique's <c>SlotGuard</c>). On
/// <see cref="CompleteSlot"/> it hands the sub-record to its entry and stays, counting later messages as late, until
/// its entry stops (children stop with their parent): cheaper than a stop hand-off per slot, and nothing sent to a
/// completed slot becomes an uncounted dead letter. On <see cref="FailSlot"/> it crashes, and its entry sees it
/// stop without completing.
/// </summary>
internal sealed class SlotActor(string entryId, string slot, OperationStats stats, int maxRetainedObservations) : ActorBase
{
    private EntryRecord record = new(maxRetainedObservations);
    private bool completed;
    private SlotSnapshotStatus restoredAs = SlotSnapshotStatus.Open;

    /// <summary>A slot rebuilt from a checkpoint: its sub-record, and whether its completion is still to be told (Completing) or it is long done (Completed).</summary>
    public SlotActor(string entryId, string slot, OperationStats stats, int maxRetainedObservations, EntryRecord restored, SlotSnapshotStatus status)
        : this(entryId, slot, stats, maxRetainedObservations)
    {
        record = restored;
        restoredAs = status;
        completed = status == SlotSnapshotStatus.Completed;
    }

    /// <summary>A restored Completing slot had completed before the checkpoint; its entry had not heard yet, so it hears now.</summary>
    protected override void PreStart()
    {
        if (restoredAs == SlotSnapshotStatus.Completing) Complete();
    }

    protected override bool Receive(object message)
    {
        if (message is CheckpointSlot checkpoint)
        {
            if (!completed) Context.Parent.Tell(new SlotCheckpointed(checkpoint.RequestId, slot, record.Capture()), Self);
            return true;
        }
        if (completed)
        {
            if (message is not ISlotMessage) return false;
            OperationStats.Count(ref stats.late);
            return true;
        }
        switch (message)
        {
            case SlotSet set: record.Set(set.Field, set.Value); break;
            case SlotAdd add: record.Add(add.Counter, add.Delta); break;
            case SlotObserve observe:
                if (double.IsFinite(observe.Value)) record.Observe(observe.Distribution, observe.Value, observe.Unit);
                else OperationStats.Count(ref stats.rejected);
                break;
            case CompleteSlot:
                Complete();
                break;
            case CompleteSlotWith done:
                // Usually the handle wrote everything: hand its record on as it is.
                if (done.Record is { } written)
                {
                    if (record.IsEmpty) record = written;
                    else record.Absorb(written);
                }
                Complete();
                break;
            case FailSlot fail: throw new SlotFailedException(entryId, slot, fail.Reason);
            default: return false;
        }
        return true;
    }

    private void Complete()
    {
        completed = true;
        Context.Parent.Tell(new SlotCompleted(slot, record), Self);
    }
}
