namespace Aggregator.Host.Cluster;

/// <summary>Whether a pod holds a shard, for /readyz and the cluster view.</summary>
public enum ShardConsumerState
{
    /// <summary>Trying to consume: another pod holds the exclusive consumer, or the broker is not reachable yet.</summary>
    Waiting,

    /// <summary>This pod's exclusive consumer is registered; deliveries flow to the handler.</summary>
    Holding,

    /// <summary>Disposed; the queue has been let go for a successor.</summary>
    Stopped,
}
