using Aggregator.Actors.Kernel;
using Aggregator.Actors.Sharding;

namespace Aggregator.Actors.Entries;

/// <summary>
/// Checkpoints for cluster mode: a pod snapshots the entries of one cluster shard and acknowledges the deliveries the
/// snapshot covers; a pod that takes the cluster shard over restores the snapshot before it consumes what was
/// redelivered. Nothing is lost (everything not covered is redelivered) and nothing is counted twice (everything
/// covered is acknowledged, and a redelivered Open of a restored or ended id is a duplicate).
/// </summary>
public sealed partial class EntryRegion
{
    private static readonly TimeSpan DefaultCheckpointTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Snapshots the open entries and tombstones whose id <paramref name="belongs"/> selects (a cluster shard:
    /// <c>id =&gt; StableHash.Of(id) % S == shard</c>). The checkpoint holds every message told to <see cref="Ref"/>
    /// before this call and none told after it has answered; the caller stops telling the region those ids' messages
    /// while it runs, because a message told meanwhile may reach an entry either before or after its turn. Messages
    /// of in-process handles skip the shards and are not ordered with it. <paramref name="belongs"/> runs on several
    /// shards' threads at once, so it must be a pure function of the id.
    /// </summary>
    public Task<EntryCheckpoint> CheckpointAsync(Func<string, bool> belongs, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(belongs);
        return CheckpointAsync(new CheckpointShard(belongs), timeout);
    }

    /// <summary>
    /// <see cref="CheckpointAsync(Func{string, bool}, TimeSpan?)"/> of one cluster shard: the same snapshot, but the
    /// shards test remembered ids against the hash they kept when the id ended instead of hashing each id again.
    /// </summary>
    public Task<EntryCheckpoint> CheckpointAsync(ShardSlice slice, TimeSpan? timeout = null) =>
        CheckpointAsync(new CheckpointShard(slice.Contains, slice), timeout);

    private async Task<EntryCheckpoint> CheckpointAsync(CheckpointShard request, TimeSpan? timeout)
    {
        var parts = await Ref.AskRunningShardsAsync<ShardCheckpoint>(request, timeout ?? DefaultCheckpointTimeout).ConfigureAwait(false);
        return new EntryCheckpoint(parts.SelectMany(p => p.Entries).ToList(), parts.SelectMany(p => p.Tombstones).ToList());
    }

    /// <summary>
    /// Recreates the checkpoint's entries (each with its slots' children and sub-records, its guards and deadlines)
    /// and tombstones. Call it before telling the region any redelivered message of those ids: the restore reaches each
    /// shard ahead of them. An id already open or ended here is skipped, counted as a duplicate Open, and reported.
    /// </summary>
    public async Task<CheckpointRestored> RestoreAsync(EntryCheckpoint checkpoint, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var byShard = new Dictionary<IActorRef, (List<EntrySnapshot> Entries, List<TombstoneSnapshot> Tombstones)>();
        (List<EntrySnapshot> Entries, List<TombstoneSnapshot> Tombstones) For(string id)
        {
            var shard = Ref.ShardFor(id);
            if (!byShard.TryGetValue(shard, out var part)) byShard[shard] = part = ([], []);
            return part;
        }
        foreach (var entry in checkpoint.Entries) For(entry.Id).Entries.Add(entry);
        foreach (var tombstone in checkpoint.Tombstones) For(tombstone.Id).Tombstones.Add(tombstone);
        var wait = timeout ?? DefaultCheckpointTimeout;
        var answers = await Task.WhenAll(byShard.Select(s => s.Key.Ask<CheckpointRestored>(new RestoreShard(s.Value.Entries, s.Value.Tombstones), wait, System))).ConfigureAwait(false);
        return new CheckpointRestored(answers.Sum(a => a.Entries), answers.Sum(a => a.Tombstones), answers.Sum(a => a.Skipped));
    }

    /// <summary>
    /// Stops the open entries <paramref name="belongs"/> selects without emitting them and forgets their tombstones:
    /// for a pod giving a cluster shard up after its last checkpoint, so the new owner alone closes them. Returns how
    /// many open entries were dropped.
    /// </summary>
    public async Task<int> ForgetAsync(Func<string, bool> belongs, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(belongs);
        var answers = await Ref.AskRunningShardsAsync<ShardForgotten>(new ForgetShard(belongs), timeout ?? DefaultCheckpointTimeout).ConfigureAwait(false);
        return answers.Sum(a => a.Entries);
    }
}
