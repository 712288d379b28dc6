namespace Aggregator.Host.Cluster.State;

/// <summary>
/// What a pod gets when it takes over a shard: the fencing epoch its checkpoints must carry (a pod that lost the shard
/// but still runs cannot overwrite its successor's checkpoint), the last checkpoint saved, if any, and the ids of the
/// messages it covers that may not have been acked (to skip when they are delivered again).
/// </summary>
public sealed record ShardLease(int Shard, long Epoch, byte[]? Checkpoint, DateTimeOffset? CheckpointTakenAt, IReadOnlyList<string> Covered);
