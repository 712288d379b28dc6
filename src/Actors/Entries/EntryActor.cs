using Aggregator.Actors.Kernel;
using Aggregator.Actors.Kernel.Dispatch;
using Aggregator.Actors.Kernel.Supervision;
using Aggregator.Contracts;

namespace Aggregator.Actors.Entries;

/// <summary>
/// One unit of work. It accumulates fields, counters, distributions and timers from any number of contributors,
/// parents one child actor per slot, tracks flush and force-flush guards, and closes exactly once. <b>This file
/// holds the close rule</b> (<see cref="TryClose"/>): the entry closes when the owner has released and (no flush
/// guard or Wait slot is outstanding, or a force guard was released, or forceFlushAfter passed); or when
/// maxLifetime passes; or at shutdown. The closed entry is told to the sink, the shard is told the id ended, and
/// the entry stops once the shard confirms with <see cref="Retire"/> (so late messages are counted, not lost).
/// </summary>
internal sealed partial class EntryActor : ActorBase
{
    private readonly Open open;
    private readonly IActorRef? owner;
    private readonly EntryContext context;
    private readonly HandleTarget? handleTarget;
    private readonly OperationStats stats;
    private EntryRecord record;
    private readonly FlushGuards guards = new();
    private readonly EntrySlots slots = new();
    private List<string>? failedSlots;
    private DateTimeOffset openedAt;
    private long inFlightAtOpen;

    private bool ownerReleased;
    private bool forceReleased;
    private bool deadlinePassed;
    private bool ended;

    public EntryActor(Open open, IActorRef? owner, EntryContext context, HandleTarget? handleTarget)
    {
        this.open = open;
        this.owner = owner;
        this.context = context;
        this.handleTarget = handleTarget;
        stats = context.Statistics.For(open.Operation);
        record = new EntryRecord(context.Settings.MaxRetainedObservations);
    }

    private static readonly SupervisorStrategy StopFailedSlots = Kernel.Supervision.SupervisorStrategy.StoppingStrategy;

    /// <summary>A slot child that throws is stopped; DeathWatch then releases its Wait guard and lists it in failedSlots.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => StopFailedSlots;

    protected override void PreStart()
    {
        if (restoring is not null)
        {
            RestoreFrom(restoring);
            return;
        }
        openedAt = context.Clock.GetUtcNow();
        inFlightAtOpen = stats.EnterFlight();
        foreach (var state in context.Settings.SharedStates) record.Set(state.Name, state.Read());
        // An owner that is an actor releases the entry by stopping, as dropping the guard does in metrique.
        if (owner is LocalActorRef) Context.Watch(owner);
    }

    protected override bool Receive(object message)
    {
        if (ended) return ReceiveAfterEnd(message);
        switch (message)
        {
            case Set set: record.Set(set.Field, set.Value); break;
            case Add add: record.Add(add.Counter, add.Delta); break;
            case Observe observe: ObserveValue(observe); break;
            case ISlotMessage slotMessage: RouteToSlot(slotMessage); break;
            case OpenSlotLocal local: OpenChildSlot(local.OpenSlot, local.Target); break;
            case SlotCompleted completed: OnSlotCompleted(completed); break;
            case AcquireGuard acquire: OnAcquireGuard(acquire); break;
            case ReleaseGuard release: OnReleaseGuard(release); break;
            case StartTimer start: record.StartTimer(start.Timer, start.At ?? context.Clock.GetUtcNow()); break;
            case StopTimer stop: OnStopTimer(stop); break;
            case Close: ReleaseOwner(); break;
            case Discard: DiscardEntry(); break;
            case Terminated terminated: OnTerminated(terminated.ActorRef); break;
            case ForceFlushDue:
                deadlinePassed = true;
                TryClose();
                break;
            case LifetimeDue: CloseNow(CloseReason.Expired); break;
            case ShutdownEntry: CloseNow(CloseReason.Shutdown); break;
            case Open: OperationStats.Count(ref stats.duplicateOpens); break;
            case GetEntryState or FindEntry: Sender.Tell(State(), Self); break;
            case CheckpointEntry request: BeginCheckpoint(request); break;
            case SlotCheckpointed reply: OnSlotCheckpointed(reply); break;
            case RestoredSlotFailed failed: OnRestoredSlotFailed(failed.Slot); break;
            case ForgetEntry: Forget(); break;
            default: return false;
        }
        return true;
    }

    /// <summary>The close rule. Called after every change that could satisfy it.</summary>
    private void TryClose()
    {
        if (!ownerReleased) return;
        if (!guards.FlushOutstanding && slots.WaitOutstanding == 0) CloseNow(CloseReason.Completed);
        else if (forceReleased) CloseNow(CloseReason.ForceFlushed);
        else if (deadlinePassed) CloseNow(CloseReason.TimedOut);
    }

    /// <summary>Closes exactly once: builds the closed entry, tells the sink, and tells the shard the id ended.</summary>
    private void CloseNow(CloseReason reason)
    {
        if (ended) return;
        ended = true;
        var closedAt = context.Clock.GetUtcNow();
        record.StopAllTimers(closedAt);
        var pending = new List<string>();
        guards.AppendPending(pending);
        var openSlots = slots.AppendPending(pending);
        // Slots still open lose whatever their child gathered: counted, never silent.
        for (var i = 0; i < openSlots; i++) OperationStats.Count(ref stats.droppedSlots);
        var closed = new ClosedEntry(
            open.EntryId,
            open.Operation,
            MergedDimensions(),
            record.ClosedFields(),
            record.ClosedCounters(),
            record.ClosedDistributions(context.Settings.Quantiles),
            openedAt,
            closedAt,
            reason,
            pending,
            (IReadOnlyList<string>?)failedSlots ?? [],
            inFlightAtOpen);
        // Handles stop sending before anyone can see the closed entry, so a write that follows it is counted late.
        EndHandles();
        context.Sink.Tell(closed, Self);
        stats.CountClosed(reason);
        End();
    }

    private void DiscardEntry()
    {
        ended = true;
        OperationStats.Count(ref stats.discarded);
        End();
    }

    private void EndHandles()
    {
        handleTarget?.End();
        slots.EndTargets();
    }

    /// <summary>After the close or discard: handles stop sending, the gauge drops, the shard retires the id.</summary>
    private void End()
    {
        EndHandles();
        stats.LeaveFlight();
        Context.Parent.Tell(new EntryEnded(open.EntryId, open.Operation), Self);
    }

    /// <summary>Between the end and the shard's confirmation, messages are late: counted, then dropped.</summary>
    private bool ReceiveAfterEnd(object message)
    {
        switch (message)
        {
            case Retire:
                // A checkpoint still collecting its slots' sub-records needs the children: stop once it has answered.
                if (CheckpointsPending) retireWhenAnswered = true;
                else Context.Stop(Self);
                break;
            case CheckpointEntry request:
                Sender.Tell(new EntryCheckpointed(request.RequestId, open.EntryId, null), Self);
                break;
            case SlotCheckpointed reply:
                OnSlotCheckpointed(reply);
                break;
            case SlotCompleted completed:
                NoteSlotCompleting(completed);
                break;
            case Terminated terminated:
                NoteSlotFailing(terminated.ActorRef);
                break;
            case RestoredSlotFailed or ForgetEntry:
                break;
            case Open:
                OperationStats.Count(ref stats.duplicateOpens);
                break;
            case OpenSlotLocal local:
                OperationStats.Count(ref stats.late);
                local.Target.End();
                break;
            case GetEntryState:
                break;
            case FindEntry:
                Sender.Tell(new EntryNotOpen(open.EntryId, Ended: true), Self);
                break;
            case IEntryMessage:
                OperationStats.Count(ref stats.late);
                break;
            // Already accounted for at close (open slots are counted as dropped), or no longer relevant.
            case ForceFlushDue or LifetimeDue or ShutdownEntry:
                break;
            default:
                return false;
        }
        return true;
    }

    private void ReleaseOwner()
    {
        if (ownerReleased)
        {
            OperationStats.Count(ref stats.rejected);
            return;
        }
        ownerReleased = true;
        TryClose();
    }

    private void ObserveValue(Observe observe)
    {
        if (!double.IsFinite(observe.Value))
        {
            Reject(observe, "distribution values must be finite numbers");
            return;
        }
        record.Observe(observe.Distribution, observe.Value, observe.Unit);
    }

    private void OnStopTimer(StopTimer stop)
    {
        if (!record.StopTimer(stop.Timer, stop.At ?? context.Clock.GetUtcNow())) Reject(stop, $"timer '{stop.Timer}' is not running");
    }

    private void RouteToSlot(ISlotMessage message)
    {
        if (message is OpenSlot openSlot)
        {
            OpenChildSlot(openSlot, null);
            return;
        }
        var slot = slots.Find(message.Slot);
        if (slot is null) OperationStats.Count(ref stats.orphans);
        else if (slot.Status != EntrySlots.SlotStatus.Open) OperationStats.Count(ref stats.late);
        else slot.Child.Forward(message);
    }

    /// <summary>Starts the slot's child; a slot handle's <paramref name="target"/> is bound to it (or, for a duplicate, to this entry).</summary>
    private void OpenChildSlot(OpenSlot openSlot, HandleTarget? target)
    {
        if (slots.Contains(openSlot.Slot))
        {
            Reject(openSlot, $"slot '{openSlot.Slot}' is already open");
            target?.Bind(Self);
            return;
        }
        var stats = this.stats;
        var entryId = open.EntryId;
        var maxRetained = context.Settings.MaxRetainedObservations;
        var child = Context.ActorOf(Props.Create(() => new SlotActor(entryId, openSlot.Slot, stats, maxRetained)), ActorName.For(openSlot.Slot));
        Context.Watch(child);
        slots.Add(openSlot.Slot, child, openSlot.Mode, target);
        target?.Bind(child);
    }

    private void OnSlotCompleted(SlotCompleted completed)
    {
        var slot = slots.Find(completed.Slot);
        if (slot is null || slot.Status != EntrySlots.SlotStatus.Open) return;
        NoteSlotCompleting(completed);
        // A completed slot's child stays until the entry stops; it is no longer watched, so no Terminated follows.
        Context.Unwatch(slot.Child);
        record.Flatten(completed.Slot, completed.Record, context.Clock.GetUtcNow());
        slots.Finish(slot, EntrySlots.SlotStatus.Completed);
        TryClose();
    }

    private void OnAcquireGuard(AcquireGuard acquire)
    {
        // The sender holds the guard; if it is an actor, its stopping releases the guard (DeathWatch).
        var holder = Sender is LocalActorRef actor ? actor : null;
        if (!guards.Acquire(acquire.Guard, acquire.Force, holder))
        {
            Reject(acquire, $"guard '{acquire.Guard}' is already held as a {(acquire.Force ? "flush" : "force")} guard");
            return;
        }
        if (holder is not null) Context.Watch(holder);
    }

    private void OnReleaseGuard(ReleaseGuard release)
    {
        var releaser = Sender is LocalActorRef actor ? actor : null;
        switch (guards.Release(release.Guard, releaser))
        {
            case null:
                Reject(release, $"guard '{release.Guard}' is not held");
                return;
            case true:
                forceReleased = true;
                break;
        }
        if (releaser is not null && !guards.IsHolder(releaser) && !releaser.Equals(owner) && slots.Find(releaser) is null) Context.Unwatch(releaser);
        TryClose();
    }

    private void OnTerminated(IActorRef actor)
    {
        if (slots.Find(actor) is { } slot)
        {
            if (slot.Status == EntrySlots.SlotStatus.Open)
            {
                NoteSlotFailing(actor);
                slots.Finish(slot, EntrySlots.SlotStatus.Failed);
                (failedSlots ??= []).Add(slot.Name);
                // The crashed child is gone: its handle's later messages go through this entry, which counts them late.
                slot.Target?.Redirect(Self);
            }
        }
        if (guards.ReleaseHeldBy(actor) == true) forceReleased = true;
        if (actor.Equals(owner)) ownerReleased = true;
        TryClose();
    }

    private EntryState State()
    {
        var pending = new List<string>();
        guards.AppendPending(pending);
        slots.AppendPending(pending);
        return new EntryState(open.EntryId, open.Operation, openedAt, ownerReleased, forceReleased, deadlinePassed, pending, failedSlots?.ToArray() ?? [],
            new Dictionary<string, long>(record.ClosedCounters(), StringComparer.Ordinal));
    }

    private IReadOnlyDictionary<string, string> MergedDimensions()
    {
        var global = context.Settings.GlobalDimensions;
        var own = open.Dimensions;
        if (own is null || own.Count == 0) return global;
        if (global.Count == 0) return own;
        var merged = new Dictionary<string, string>(global, StringComparer.Ordinal);
        foreach (var (key, value) in own) merged[key] = value;
        return merged;
    }

    private void Reject(object message, string why)
    {
        OperationStats.Count(ref stats.rejected);
        Context.System.Log.Debug("Entry {EntryId} ({Operation}) rejected {MessageType}: {Reason}", open.EntryId, open.Operation, message.GetType().Name, why);
    }
}
