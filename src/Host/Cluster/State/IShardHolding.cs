namespace Aggregator.Host.Cluster.State;

/// <summary>Which shards this pod holds right now (their exclusive consumers are attached): what its heartbeat reports.</summary>
public interface IShardHolding
{
    IReadOnlyList<int> HeldShards { get; }
}
