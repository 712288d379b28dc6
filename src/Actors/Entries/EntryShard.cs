using System.Runtime.InteropServices;
using Aggregator.Actors.Kernel;
using Aggregator.Actors.Kernel.Scheduling;
using Aggregator.Actors.Kernel.Supervision;
using Aggregator.Actors.Sharding;
using Aggregator.Contracts;

namespace Aggregator.Actors.Entries;

/// <summary>
/// One shard of the entry region: creates an entry actor on Open, forwards every other message to its entry, and
/// classifies what it cannot deliver: a duplicate Open (id open or recently ended), a late message (id ended, see
/// <see cref="Tombstones"/>) or an orphan (id never opened here). Each is counted per operation, never lost silently.
/// The shard also keeps its entries' deadlines (forceFlushAfter, maxLifetime) and checks them on one repeating tick
/// (<see cref="EntrySettings.DeadlineResolution"/>): a timer per entry would cost more than the entry's messages.
/// </summary>
internal sealed partial class EntryShard(int shardId, EntryContext context) : ActorBase
{
    private static readonly SupervisorStrategy ResumeEntries = new OneForOneStrategy(_ => Directive.Resume);

    private readonly Dictionary<string, LiveEntry> entries = new(StringComparer.Ordinal);
    private long nextDue = long.MaxValue;
    private ICancelable? sweep;
    private readonly Tombstones tombstones = new(context.Clock, context.Settings.TombstoneTtl, context.Settings.MaxTombstonesPerShard, context.Settings.CheckpointTombstoneWindow);
    private IActorRef? drainRequester;
    private bool drainAnswered;
    private int drained;

    /// <summary>A live entry and its deadlines in clock ticks (<see cref="long.MaxValue"/>: none, or already told).</summary>
    private record struct LiveEntry(IActorRef Ref, long ForceFlushAt, long ExpiresAt);

    /// <summary>An entry that throws keeps its state (resume): restarting would lose the fields gathered so far.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => ResumeEntries;

    protected override void PreStart()
    {
        var resolution = context.Settings.DeadlineResolution;
        sweep = Context.System.Scheduler.ScheduleTellRepeatedly(resolution, resolution, Self, SweepDeadlines.Instance, Self);
    }

    protected override void PostStop() => sweep?.Cancel();

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case Open open: OnOpen(open, null); break;
            case OpenLocal local: OnOpen(local.Open, local.Target); break;
            case FindEntry find: OnFind(find); break;
            case IEntryMessage entryMessage: Route(entryMessage); break;
            case EntryEnded ended: OnEntryEnded(ended); break;
            case SweepDeadlines: OnSweep(); break;
            case GetShardState: Sender.Tell(new ShardState(shardId, entries.Count, tombstones.Count), Self); break;
            case DrainShard: OnDrain(); break;
            case CheckpointShard checkpoint: OnCheckpoint(checkpoint); break;
            case EntryCheckpointed answer: OnEntryCheckpointed(answer); break;
            case RestoreShard restore: OnRestore(restore); break;
            case ForgetShard forget: OnForget(forget); break;
            default: return false;
        }
        return true;
    }

    /// <summary>Creates the entry; a handle's <paramref name="target"/> is bound to whatever now answers for the id.</summary>
    private void OnOpen(Open open, HandleTarget? target)
    {
        if (string.IsNullOrEmpty(open.EntryId) || string.IsNullOrWhiteSpace(open.Operation) || open.ForceFlushAfter <= TimeSpan.Zero || open.MaxLifetime <= TimeSpan.Zero
            || open.EntryId.Contains('\0') || open.Operation.Contains('\0'))
        {
            var stats = context.Statistics.For(string.IsNullOrWhiteSpace(open.Operation) ? EntryStatistics.UnknownOperation : open.Operation);
            OperationStats.Count(ref stats.rejected);
            Context.System.Log.Warning("Open rejected for entry {EntryId}: {Reason}", open.EntryId, WhyInvalid(open));
            target?.Bind(Self);
            return;
        }
        if (entries.TryGetValue(open.EntryId, out var existing) || tombstones.TryGet(open.EntryId, out _))
        {
            OperationStats.Count(ref context.Statistics.For(open.Operation).duplicateOpens);
            // The handle then writes to the entry already open, or through this shard (which counts it late).
            target?.Bind(existing.Ref ?? Self);
            return;
        }
        var owner = Sender;
        var entry = Context.ActorOf(Props.Create(() => new EntryActor(open, owner, context, target)), ChildName(open.EntryId));
        target?.Bind(entry);
        var now = context.Clock.GetUtcNow().UtcTicks;
        var forceFlushAfter = open.ForceFlushAfter ?? context.Settings.DefaultForceFlushAfter;
        var live = new LiveEntry(
            entry,
            forceFlushAfter is { } after ? now + after.Ticks : long.MaxValue,
            now + (open.MaxLifetime ?? context.Settings.DefaultMaxLifetime).Ticks);
        entries[open.EntryId] = live;
        nextDue = Math.Min(nextDue, Math.Min(live.ForceFlushAt, live.ExpiresAt));
        // An entry opened while draining closes at once, so shutdown still ends with every entry emitted.
        if (drainRequester is not null) entry.Tell(ShutdownEntry.Instance, Self);
    }

    private void Route(IEntryMessage message)
    {
        if (entries.TryGetValue(message.EntryId, out var entry))
        {
            entry.Ref.Forward(message);
            return;
        }
        if (tombstones.TryGet(message.EntryId, out var operation)) OperationStats.Count(ref context.Statistics.For(operation).late);
        else OperationStats.Count(ref context.Statistics.For(EntryStatistics.UnknownOperation).orphans);
    }

    private void OnFind(FindEntry find)
    {
        // The entry itself answers, even if it ended meanwhile (then as not open), so the asker never waits out a timeout.
        if (entries.TryGetValue(find.EntryId, out var entry)) entry.Ref.Tell(find, Sender);
        else Sender.Tell(new EntryNotOpen(find.EntryId, tombstones.TryGet(find.EntryId, out _)), Self);
    }

    private void OnEntryEnded(EntryEnded ended)
    {
        entries.Remove(ended.EntryId);
        var evicted = tombstones.Add(ended.EntryId, ended.Operation);
        if (evicted > 0) Interlocked.Add(ref context.Statistics.For(ended.Operation).tombstonesEvicted, evicted);
        Sender.Tell(Retire.Instance, Self);
        if (drainRequester is not null)
        {
            drained++;
            ReplyIfDrained();
        }
    }

    private void OnDrain()
    {
        drainRequester = Sender;
        drainAnswered = false;
        foreach (var entry in entries.Values) entry.Ref.Tell(ShutdownEntry.Instance, Self);
        ReplyIfDrained();
    }

    /// <summary>Tells every entry whose deadline passed; skipped cheaply while the earliest deadline is still ahead.</summary>
    private void OnSweep()
    {
        var now = context.Clock.GetUtcNow().UtcTicks;
        if (now < nextDue) return;
        nextDue = long.MaxValue;
        foreach (var id in entries.Keys)
        {
            ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(entries, id);
            if (entry.ForceFlushAt <= now)
            {
                entry.Ref.Tell(ForceFlushDue.Instance, Self);
                entry.ForceFlushAt = long.MaxValue;
            }
            if (entry.ExpiresAt <= now)
            {
                entry.Ref.Tell(LifetimeDue.Instance, Self);
                entry.ExpiresAt = long.MaxValue;
            }
            nextDue = Math.Min(nextDue, Math.Min(entry.ForceFlushAt, entry.ExpiresAt));
        }
    }

    private void ReplyIfDrained()
    {
        if (entries.Count > 0 || drainAnswered) return;
        drainAnswered = true;
        drainRequester!.Tell(new ShardDrained(shardId, drained), Self);
    }

    /// <summary>The escaped id, unless an earlier incarnation with that name is still stopping (then a generated name).</summary>
    private string? ChildName(string entryId)
    {
        var name = ActorName.For(entryId);
        return Context.Child(name) is null ? name : null;
    }

    private static string WhyInvalid(Open open) =>
        string.IsNullOrEmpty(open.EntryId) ? "entryId is empty"
        : string.IsNullOrWhiteSpace(open.Operation) ? "operation is empty"
        : open.EntryId.Contains('\0') || open.Operation.Contains('\0') ? "entryId and operation must not contain U+0000 (a store cannot keep it)"
        : open.ForceFlushAfter <= TimeSpan.Zero ? $"forceFlushAfter must be positive, was {open.ForceFlushAfter}"
        : $"maxLifetime must be positive, was {open.MaxLifetime}";
}
