namespace Aggregator.Host.Cluster.State;

/// <summary>
/// This pod as the cluster knows it: its node name, its ordinal, the address other pods use to reach its API (to ask
/// for one of its open entries), and how often it beats.
/// </summary>
public sealed record ClusterMember(string Node, int Ordinal, string Address, TimeSpan HeartbeatInterval)
{
    /// <summary>Beats a member may miss before the others show it unreachable.</summary>
    public const int MissedBeatsUnreachable = 3;

    /// <summary>Whether a member last seen at <paramref name="lastSeen"/> counts as reachable at <paramref name="now"/>.</summary>
    public bool IsReachable(DateTimeOffset lastSeen, DateTimeOffset now) => now - lastSeen <= HeartbeatInterval * MissedBeatsUnreachable;
}
