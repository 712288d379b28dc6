using Aggregator.Actors.Kernel;
using Aggregator.Actors.Kernel.Supervision;
using Aggregator.Actors.Sharding;
using Aggregator.Contracts;

namespace Aggregator.Actors.Entries;

/// <summary>
/// One shard of the entry region: creates an entry actor on Open, forwards every other message to its entry, and
/// classifies what it cannot deliver: a duplicate Open (id open or recently ended), a late message (id ended, see
/// <see cref="Tombstones"/>) or an orphan (id never opened here). Each is counted per operation, never lost silently.
/// </summary>
internal sealed class EntryShard(int shardId, EntryContext context) : ActorBase
{
    private static readonly SupervisorStrategy ResumeEntries = new OneForOneStrategy(_ => Directive.Resume);

    private readonly Dictionary<string, IActorRef> entries = new(StringComparer.Ordinal);
    private readonly Tombstones tombstones = new(context.Clock, context.Settings.TombstoneTtl, context.Settings.MaxTombstonesPerShard);
    private IActorRef? drainRequester;
    private bool drainAnswered;
    private int drained;

    /// <summary>An entry that throws keeps its state (resume): restarting would lose the fields gathered so far.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => ResumeEntries;

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case Open open: OnOpen(open); break;
            case IEntryMessage entryMessage: Route(entryMessage); break;
            case EntryEnded ended: OnEntryEnded(ended); break;
            case GetShardState: Sender.Tell(new ShardState(shardId, entries.Count, tombstones.Count), Self); break;
            case DrainShard: OnDrain(); break;
            default: return false;
        }
        return true;
    }

    private void OnOpen(Open open)
    {
        if (string.IsNullOrEmpty(open.EntryId) || string.IsNullOrWhiteSpace(open.Operation) || open.ForceFlushAfter <= TimeSpan.Zero || open.MaxLifetime <= TimeSpan.Zero)
        {
            var stats = context.Statistics.For(string.IsNullOrWhiteSpace(open.Operation) ? EntryStatistics.UnknownOperation : open.Operation);
            OperationStats.Count(ref stats.rejected);
            Context.System.Log.Warning("Open rejected for entry {EntryId}: {Reason}", open.EntryId, WhyInvalid(open));
            return;
        }
        if (entries.ContainsKey(open.EntryId) || tombstones.TryGet(open.EntryId, out _))
        {
            OperationStats.Count(ref context.Statistics.For(open.Operation).duplicateOpens);
            return;
        }
        var owner = Sender;
        var entry = Context.ActorOf(Props.Create(() => new EntryActor(open, owner, context)), ChildName(open.EntryId));
        entries[open.EntryId] = entry;
        // An entry opened while draining closes at once, so shutdown still ends with every entry emitted.
        if (drainRequester is not null) entry.Tell(ShutdownEntry.Instance, Self);
    }

    private void Route(IEntryMessage message)
    {
        if (entries.TryGetValue(message.EntryId, out var entry))
        {
            entry.Forward(message);
            return;
        }
        if (tombstones.TryGet(message.EntryId, out var operation)) OperationStats.Count(ref context.Statistics.For(operation).late);
        else OperationStats.Count(ref context.Statistics.For(EntryStatistics.UnknownOperation).orphans);
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
        foreach (var entry in entries.Values) entry.Tell(ShutdownEntry.Instance, Self);
        ReplyIfDrained();
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
        : open.ForceFlushAfter <= TimeSpan.Zero ? $"forceFlushAfter must be positive, was {open.ForceFlushAfter}"
        : $"maxLifetime must be positive, was {open.MaxLifetime}";
}
