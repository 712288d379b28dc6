using Aggregator.Actors.Inspection.Warnings;

namespace Aggregator.Actors.Inspection;

/// <summary>What an operator asks first about a running node: how loaded it is, where its entities live, which actors do the work, and what looks wrong.</summary>
public sealed record ClusterView(
    NodeView Node,
    IReadOnlyList<RegionView> Regions,
    IReadOnlyList<ActorView> TopByBusyTime,
    IReadOnlyList<ActorView> TopByMailboxDepth,
    IReadOnlyList<InspectionWarning> Warnings)
{
    /// <summary>Cluster mode only: the members, shard ownership and queue depths; null on a single node.</summary>
    public ClusterMembersView? Cluster { get; init; }
}

/// <summary>
/// This process. CPU and actor utilization are fractions (0..1) of all processors over the last
/// <see cref="WindowSeconds"/>; memory and GC are as of now.
/// </summary>
public sealed record NodeView(
    string Name,
    DateTimeOffset StartedAt,
    double UptimeSeconds,
    double WindowSeconds,
    int Processors,
    double CpuUtilization,
    double ActorUtilization,
    long WorkingSetBytes,
    long ManagedHeapBytes,
    IReadOnlyList<long> GcCollections,
    int LiveActors,
    long ThreadPoolQueueLength,
    int ThreadPoolThreads);

/// <summary>One shard region (entries or sinks) and its shards, so shard balance is visible at a glance.</summary>
public sealed record RegionView(string TypeName, long EntityCount, IReadOnlyList<ShardView> Shards);

/// <summary>
/// One shard. Entities: open entries of an entry shard, entries a sink shard holds before journaling them.
/// Tombstones only for entry shards; journal lag, dropped and breaker only for sink shards.
/// </summary>
public sealed record ShardView(
    int Shard,
    long Entities,
    long? Tombstones = null,
    long? JournalLag = null,
    long? Dropped = null,
    string? Breaker = null);

/// <summary>One actor over the window: how busy, how fast, how far behind, and whether a turn is running right now.</summary>
public sealed record ActorView(
    string Path,
    string ActorType,
    double BusySeconds,
    double Utilization,
    double MessagesPerSecond,
    long MailboxDepth,
    long PeakMailboxDepth,
    double? TurnRunningSeconds);
