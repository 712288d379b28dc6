using System.Collections.Concurrent;
using Aggregator.Actors.Entries;
using Aggregator.Actors.Kernel;
using Aggregator.Actors.Sharding;
using Aggregator.Contracts;
using Aggregator.Host.Cluster.State;
using Aggregator.Host.Pipeline;

namespace Aggregator.Host.Cluster;

/// <summary>
/// The entries of the shards this pod holds: deliveries are told to the local entry region in queue order, and each
/// shard checkpoints on its own. A checkpoint is taken between deliveries (the shard's gate), after the journal barrier
/// (every entry it closed is in the journal), saved under the shard's fencing epoch, and only then are the deliveries
/// it covers acked. When a shard is lost, its entries here are forgotten (not emitted): the next holder continues
/// them from the checkpoint and the redelivered rest.
/// </summary>
public sealed class ShardEntries(
    EntryPipeline pipeline,
    ClusterStateStore state,
    ShardQueues queues,
    ClusterMember member,
    TimeProvider clock,
    ILogger<ShardEntries> logger) : IShardDeliveryHandler, IShardHolding
{
    private static readonly TimeSpan BarrierTimeout = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<int, HeldShard> shards = new();

    /// <summary>One shard's state here; <see cref="Gate"/> keeps deliveries, checkpoints and hand-overs of the shard apart.</summary>
    private sealed class HeldShard
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public bool Held;
        public bool Fenced;
        public long Epoch;
        public ulong LastTag;
        public ulong CheckpointedTag;

        /// <summary>Messages the loaded checkpoint already contains (it was saved but maybe not acked): skipped when redelivered.</summary>
        public readonly HashSet<string> AlreadyApplied = new(StringComparer.Ordinal);

        /// <summary>Messages handled since the last acked checkpoint: the next checkpoint names them as covered.</summary>
        public readonly List<string> SinceAck = [];
    }

    public IReadOnlyList<int> HeldShards => [.. shards.Where(s => s.Value.Held && !s.Value.Fenced).Select(s => s.Key).Order()];

    public async ValueTask AcquiredAsync(int shard)
    {
        var held = shards.GetOrAdd(shard, _ => new HeldShard());
        await held.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var lease = await state.AcquireAsync(shard, member.Node).ConfigureAwait(false);
            (held.Epoch, held.LastTag, held.CheckpointedTag, held.Fenced) = (lease.Epoch, 0, 0, false);
            held.AlreadyApplied.Clear();
            held.AlreadyApplied.UnionWith(lease.Covered);
            held.SinceAck.Clear();
            if (lease.Checkpoint is { } bytes)
            {
                var restored = await pipeline.Entries.RestoreAsync(EntryCheckpointCodec.Decode(bytes)).ConfigureAwait(false);
                logger.LogInformation("Shard {Shard} acquired (epoch {Epoch}): restored {Restored} from the checkpoint of {TakenAt:O}",
                    shard, lease.Epoch, restored, lease.CheckpointTakenAt);
            }
            else
            {
                logger.LogInformation("Shard {Shard} acquired (epoch {Epoch}) with no checkpoint", shard, lease.Epoch);
            }
            held.Held = true;
        }
        finally
        {
            held.Gate.Release();
        }
    }

    public async ValueTask HandleAsync(int shard, ulong deliveryTag, string? messageId, IReadOnlyList<IEntryMessage> messages)
    {
        var held = shards[shard];
        await held.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (messageId is not null) held.SinceAck.Add(messageId);
            // In the checkpoint already: applying it again would count its adds twice. It is still acked with the rest.
            var applied = messageId is not null && held.AlreadyApplied.Remove(messageId);
            if (!applied)
            {
                var entries = pipeline.Entries.Ref;
                foreach (var message in messages) entries.Tell(message, ActorRefs.NoSender);
            }
            held.LastTag = deliveryTag;
        }
        finally
        {
            held.Gate.Release();
        }
    }

    public async ValueTask ReleasedAsync(int shard)
    {
        if (!shards.TryGetValue(shard, out var held)) return;
        await held.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            held.Held = false;
            var forgotten = await pipeline.Entries.ForgetAsync(id => queues.ShardOf(id) == shard).ConfigureAwait(false);
            logger.LogInformation("Shard {Shard} released: {Forgotten} open entries left to the next holder", shard, forgotten);
        }
        finally
        {
            held.Gate.Release();
        }
    }

    /// <summary>
    /// Checkpoints <paramref name="shard"/> and acks what the checkpoint covers through <paramref name="ackUpTo"/>.
    /// Returns false when the shard is not held, nothing new was delivered, or another pod has taken it (fenced).
    /// </summary>
    public async Task<bool> CheckpointAsync(int shard, Func<ulong, ValueTask<bool>> ackUpTo, CancellationToken cancellationToken)
    {
        if (!shards.TryGetValue(shard, out var held)) return false;
        await held.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!held.Held || held.Fenced || held.LastTag == held.CheckpointedTag) return false;
            var covers = held.LastTag;
            var checkpoint = await pipeline.Entries.CheckpointAsync(new ShardSlice(queues.Count, shard)).ConfigureAwait(false);
            // Entries the checkpoint shows as ended must be in the journal before their deliveries are acked.
            await pipeline.Sinks.JournalBarrierAsync(BarrierTimeout, cancellationToken).ConfigureAwait(false);
            if (!await state.SaveCheckpointAsync(shard, held.Epoch, EntryCheckpointCodec.Encode(checkpoint), held.SinceAck, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false))
            {
                held.Fenced = true;
                logger.LogWarning("Shard {Shard}: another pod took it over (epoch {Epoch} is stale); this pod stops checkpointing it", shard, held.Epoch);
                return false;
            }
            if (await ackUpTo(covers).ConfigureAwait(false))
            {
                held.CheckpointedTag = covers;
                held.SinceAck.Clear();
                held.AlreadyApplied.Clear();
            }
            return true;
        }
        finally
        {
            held.Gate.Release();
        }
    }
}
