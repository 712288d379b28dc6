using Aggregator.Actors.Kernel;
using Aggregator.Contracts;

namespace Aggregator.Actors.Entries;

/// <summary>
/// The entry's side of checkpoints: it snapshots itself at its turn (so the snapshot holds exactly the messages its
/// shard forwarded before the request), collects each open slot's sub-record from the slot's child at the child's
/// turn, and can be rebuilt from a snapshot in another process.
/// </summary>
internal sealed partial class EntryActor
{
    private readonly EntrySnapshot? restoring;
    private List<PendingCheckpoint>? checkpoints;
    private bool retireWhenAnswered;

    /// <summary>An entry rebuilt from a checkpoint; it has no owner actor and no handle (cluster producers have neither).</summary>
    public EntryActor(EntrySnapshot snapshot, EntryContext context)
        : this(new Open(snapshot.Id, snapshot.Operation, snapshot.Dimensions), null, context, null)
    {
        restoring = snapshot;
        record = EntryRecord.Restore(snapshot.Record, context.Settings.MaxRetainedObservations);
    }

    private bool CheckpointsPending => checkpoints is { Count: > 0 };

    /// <summary>
    /// One snapshot being put together: the entry's own part is taken when the request arrives; each slot open then
    /// is filled in by whichever comes first from its child: its sub-record (it was open at its turn), its completion
    /// (it completed before), or its death (it crashed before).
    /// </summary>
    private sealed class PendingCheckpoint(CheckpointEntry request, IActorRef replyTo, EntrySnapshot partial, SlotSnapshot?[] slots, Dictionary<string, int> awaiting)
    {
        public long RequestId => request.RequestId;
        public IActorRef ReplyTo => replyTo;
        public EntrySnapshot Partial => partial;
        public SlotSnapshot?[] Slots => slots;
        public Dictionary<string, int> Awaiting => awaiting;
    }

    private void BeginCheckpoint(CheckpointEntry request)
    {
        var all = slots.All.ToList();
        var slotSnapshots = new SlotSnapshot?[all.Count];
        var awaiting = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < all.Count; i++)
        {
            var slot = all[i];
            switch (slot.Status)
            {
                case EntrySlots.SlotStatus.Completed:
                    slotSnapshots[i] = new SlotSnapshot(slot.Name, slot.Mode, SlotSnapshotStatus.Completed, null);
                    break;
                case EntrySlots.SlotStatus.Failed:
                    slotSnapshots[i] = new SlotSnapshot(slot.Name, slot.Mode, SlotSnapshotStatus.Failed, null);
                    break;
                case EntrySlots.SlotStatus.Open when !ReferenceEquals(slots.Find(slot.Child), slot):
                    // A restored slot whose child had crashed, its failure not yet handled here: still failing.
                    slotSnapshots[i] = new SlotSnapshot(slot.Name, slot.Mode, SlotSnapshotStatus.Failing, null);
                    break;
                default:
                    awaiting[slot.Name] = i;
                    slot.Child.Tell(new CheckpointSlot(request.RequestId), Self);
                    break;
            }
        }
        var partial = new EntrySnapshot(
            open.EntryId, open.Operation, open.Dimensions, openedAt, inFlightAtOpen,
            request.ForceFlushAt, request.ExpiresAt, ownerReleased, forceReleased, deadlinePassed,
            guards.Capture(), record.Capture(), [], failedSlots?.ToArray() ?? []);
        var pending = new PendingCheckpoint(request, Sender, partial, slotSnapshots, awaiting);
        if (awaiting.Count == 0) Answer(pending);
        else (checkpoints ??= []).Add(pending);
    }

    private void OnSlotCheckpointed(SlotCheckpointed reply)
    {
        if (checkpoints?.Find(c => c.RequestId == reply.RequestId) is not { } pending) return;
        var slot = slots.Find(reply.Slot);
        if (slot is not null) Fill(pending, reply.Slot, new SlotSnapshot(reply.Slot, slot.Mode, SlotSnapshotStatus.Open, reply.Record));
    }

    /// <summary>A slot completed before it saw the request: the snapshot keeps it open with its sub-record, to complete again after a restore.</summary>
    private void NoteSlotCompleting(SlotCompleted completed)
    {
        if (!CheckpointsPending || slots.Find(completed.Slot) is not { } slot) return;
        RecordSnapshot? captured = null;
        foreach (var pending in checkpoints!.ToList())
            if (pending.Awaiting.ContainsKey(slot.Name))
                Fill(pending, slot.Name, new SlotSnapshot(slot.Name, slot.Mode, SlotSnapshotStatus.Completing, captured ??= completed.Record.Capture()));
    }

    /// <summary>A slot crashed before it saw the request: the snapshot keeps it open, to fail again after a restore.</summary>
    private void NoteSlotFailing(IActorRef child)
    {
        if (!CheckpointsPending || slots.Find(child) is not { } slot) return;
        foreach (var pending in checkpoints!.ToList())
            if (pending.Awaiting.ContainsKey(slot.Name))
                Fill(pending, slot.Name, new SlotSnapshot(slot.Name, slot.Mode, SlotSnapshotStatus.Failing, null));
    }

    private void Fill(PendingCheckpoint pending, string slotName, SlotSnapshot snapshot)
    {
        if (!pending.Awaiting.Remove(slotName, out var index)) return;
        pending.Slots[index] = snapshot;
        if (pending.Awaiting.Count > 0) return;
        checkpoints!.Remove(pending);
        Answer(pending);
        if (retireWhenAnswered && !CheckpointsPending) Context.Stop(Self);
    }

    private void Answer(PendingCheckpoint pending) =>
        pending.ReplyTo.Tell(new EntryCheckpointed(pending.RequestId, open.EntryId, pending.Partial with { Slots = pending.Slots.Select(s => s!).ToArray() }), Self);

    /// <summary>Takes the snapshot's state instead of opening afresh: no new openedAt, no shared-state read, no "opened" count.</summary>
    private void RestoreFrom(EntrySnapshot snapshot)
    {
        openedAt = snapshot.OpenedAt;
        inFlightAtOpen = snapshot.InFlightAtOpen;
        stats.EnterFlightRestored();
        ownerReleased = snapshot.OwnerReleased;
        forceReleased = snapshot.ForceReleased;
        deadlinePassed = snapshot.DeadlinePassed;
        guards.Restore(snapshot.Guards);
        if (snapshot.FailedSlots.Count > 0) failedSlots = [.. snapshot.FailedSlots];
        foreach (var slot in snapshot.Slots) RestoreSlot(slot);
    }

    private void RestoreSlot(SlotSnapshot slot)
    {
        switch (slot.Status)
        {
            case SlotSnapshotStatus.Failed:
                slots.AddRestored(slot.Name, NoChild.For(Context), slot.Mode, EntrySlots.SlotStatus.Failed, hasChild: false);
                return;
            case SlotSnapshotStatus.Failing:
                // Its child had crashed and the news was on the way: it arrives again, as a message, after the restore.
                slots.AddRestored(slot.Name, NoChild.For(Context), slot.Mode, EntrySlots.SlotStatus.Open, hasChild: false);
                Self.Tell(new RestoredSlotFailed(slot.Name), Self);
                return;
        }
        var entryId = open.EntryId;
        var stats = this.stats;
        var maxRetained = context.Settings.MaxRetainedObservations;
        var subRecord = EntryRecord.Restore(slot.Record ?? RecordSnapshot.Empty, maxRetained);
        var status = slot.Status;
        var child = Context.ActorOf(Props.Create(() => new SlotActor(entryId, slot.Name, stats, maxRetained, subRecord, status)), ActorName.For(slot.Name));
        var completed = status == SlotSnapshotStatus.Completed;
        // A completed slot's child only counts late messages; it is not watched, as in a live entry.
        if (!completed) Context.Watch(child);
        slots.AddRestored(slot.Name, child, slot.Mode, completed ? EntrySlots.SlotStatus.Completed : EntrySlots.SlotStatus.Open, hasChild: true);
    }

    private void OnRestoredSlotFailed(string name)
    {
        if (slots.Find(name) is not { Status: EntrySlots.SlotStatus.Open } slot) return;
        slots.Finish(slot, EntrySlots.SlotStatus.Failed);
        (failedSlots ??= []).Add(slot.Name);
        TryClose();
    }

    /// <summary>Another process owns this entry now: stop without emitting it or leaving a tombstone.</summary>
    private void Forget()
    {
        ended = true;
        EndHandles();
        stats.LeaveFlight();
        // A checkpoint asked for before still gets its answer (it needs the slot children), then the entry stops.
        if (CheckpointsPending) retireWhenAnswered = true;
        else Context.Stop(Self);
    }
}
