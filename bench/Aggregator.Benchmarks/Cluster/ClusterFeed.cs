namespace Aggregator.Benchmarks.Cluster;

/// <summary>How the producers reach a cluster deployment (the single-node baselines are always fed over HTTP).</summary>
internal enum ClusterFeed
{
    /// <summary>AggregatorClient posting to the nodes' <c>POST /v1/messages</c>, which publish to the shard queues.</summary>
    Http,

    /// <summary>AggregatorClient publishing straight to the shard queues (Aggregator.Transport.ShardQueueClient); the nodes only consume.</summary>
    Direct,
}
