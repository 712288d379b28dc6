namespace Aggregator.Host.Cluster.State;

/// <summary>
/// One pod's row in the membership table, written every heartbeat interval: who it is, where its API answers (other
/// pods ask it for its open entries), which shards it holds, and how loaded it is.
/// </summary>
public sealed record MemberHeartbeat(
    string Node,
    int Ordinal,
    string Address,
    IReadOnlyList<int> Shards,
    DateTimeOffset StartedAt,
    DateTimeOffset LastSeen,
    double CpuPercent,
    long MemoryBytes,
    double Utilization,
    long InFlightEntries);
