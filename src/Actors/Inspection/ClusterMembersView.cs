namespace Aggregator.Actors.Inspection;

/// <summary>
/// Cluster mode's part of <c>/v1/cluster</c>: every member from the membership table with its reachability, which
/// member holds each shard with the shard queue's depth, and how evenly the shards are spread.
/// </summary>
public sealed record ClusterMembersView(
    IReadOnlyList<MemberView> Members,
    IReadOnlyList<ShardOwnerView> Shards,
    int MinShardsPerMember,
    int MaxShardsPerMember);

/// <summary>One pod as of its last heartbeat; unreachable once it missed 3 of them.</summary>
public sealed record MemberView(
    string Node,
    int Ordinal,
    string Address,
    IReadOnlyList<int> Shards,
    bool Reachable,
    DateTimeOffset LastSeen,
    double CpuPercent,
    long MemoryBytes,
    double Utilization,
    long InFlightEntries);

/// <summary>One shard: its holder (null when no reachable member holds it), and its queue's ready messages and consumers (null when the broker did not answer).</summary>
public sealed record ShardOwnerView(int Shard, string? Owner, long? QueueDepth, long? Consumers);
