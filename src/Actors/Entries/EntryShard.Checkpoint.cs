using Aggregator.Actors.Kernel;

namespace Aggregator.Actors.Entries;

/// <summary>
/// The shard's side of checkpoints. A checkpoint request reaches the shard after every message told to the region
/// before it (the region routes on the caller's thread into this shard's mailbox), and the shard passes it to each
/// selected entry after everything it forwarded to that entry before: the answers form one consistent cut.
/// </summary>
internal sealed partial class EntryShard
{
    private long lastCheckpoint;
    private Dictionary<long, Collector>? collecting;

    /// <summary>One checkpoint being gathered from this shard's entries.</summary>
    private sealed class Collector(IActorRef requester, CheckpointShard request)
    {
        public IActorRef Requester => requester;
        public CheckpointShard Request => request;
        public List<EntrySnapshot> Entries { get; } = [];
        public int Awaiting;
    }

    private void OnCheckpoint(CheckpointShard request)
    {
        var collector = new Collector(Sender, request);
        var id = ++lastCheckpoint;
        try
        {
            foreach (var (entryId, live) in entries)
            {
                if (!request.Belongs(entryId)) continue;
                live.Ref.Tell(new CheckpointEntry(id, At(live.ForceFlushAt), At(live.ExpiresAt)), Self);
                collector.Awaiting++;
            }
        }
        catch (Exception exception)
        {
            // A predicate that throws fails this checkpoint only; answers already asked for are ignored.
            Sender.Tell(new Status.Failure(exception), Self);
            return;
        }
        if (collector.Awaiting == 0) Answer(collector);
        else (collecting ??= [])[id] = collector;
    }

    private void OnEntryCheckpointed(EntryCheckpointed answer)
    {
        if (collecting is null || !collecting.TryGetValue(answer.RequestId, out var collector)) return;
        if (answer.Snapshot is { } snapshot) collector.Entries.Add(snapshot);
        if (--collector.Awaiting > 0) return;
        collecting.Remove(answer.RequestId);
        Answer(collector);
    }

    /// <summary>
    /// Tombstones are read last, so an entry that ended before its turn (its answer was null) is covered by its
    /// tombstone. An entry that answered a snapshot and ended afterwards keeps only the snapshot: its closed entry
    /// may not have reached a store yet, and a second close of the same id is what idempotent stores absorb.
    /// </summary>
    private void Answer(Collector collector)
    {
        var snapshotted = collector.Entries.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var stones = tombstones.Capture(collector.Request.Slice, collector.Request.Belongs, snapshotted);
        collector.Requester.Tell(new ShardCheckpoint(collector.Entries, stones), Self);
    }

    private void OnRestore(RestoreShard restore)
    {
        int restored = 0, restoredTombstones = 0, skipped = 0;
        foreach (var snapshot in restore.Entries)
        {
            if (AlreadyHere(snapshot.Id, snapshot.Operation))
            {
                skipped++;
                continue;
            }
            var entry = Context.ActorOf(Props.Create(() => new EntryActor(snapshot, context)), ChildName(snapshot.Id));
            var expiresAt = snapshot.ExpiresAt?.UtcTicks ?? context.Clock.GetUtcNow().UtcTicks + context.Settings.DefaultMaxLifetime.Ticks;
            var live = new LiveEntry(entry, snapshot.ForceFlushAt?.UtcTicks ?? long.MaxValue, expiresAt);
            entries[snapshot.Id] = live;
            nextDue = Math.Min(nextDue, Math.Min(live.ForceFlushAt, live.ExpiresAt));
            restored++;
            if (drainRequester is not null) entry.Tell(ShutdownEntry.Instance, Self);
        }
        foreach (var tombstone in restore.Tombstones)
        {
            if (AlreadyHere(tombstone.Id, tombstone.Operation))
            {
                skipped++;
                continue;
            }
            if (tombstones.Restore(tombstone, out var evicted)) restoredTombstones++;
            if (evicted > 0) Interlocked.Add(ref context.Statistics.For(tombstone.Operation).tombstonesEvicted, evicted);
        }
        Sender.Tell(new CheckpointRestored(restored, restoredTombstones, skipped), Self);
    }

    /// <summary>An id open or ended here already wins over the checkpoint's; the skip is counted like a redelivered Open.</summary>
    private bool AlreadyHere(string id, string operation)
    {
        if (!entries.ContainsKey(id) && !tombstones.TryGet(id, out _)) return false;
        OperationStats.Count(ref context.Statistics.For(operation).duplicateOpens);
        return true;
    }

    private void OnForget(ForgetShard forget)
    {
        var forgotten = 0;
        foreach (var id in entries.Keys.Where(forget.Belongs).ToList())
        {
            entries.Remove(id, out var live);
            live.Ref.Tell(ForgetEntry.Instance, Self);
            forgotten++;
        }
        tombstones.Forget(forget.Belongs);
        Sender.Tell(new ShardForgotten(forgotten), Self);
        if (drainRequester is not null) ReplyIfDrained();
    }

    private static DateTimeOffset? At(long ticks) => ticks == long.MaxValue ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
}
