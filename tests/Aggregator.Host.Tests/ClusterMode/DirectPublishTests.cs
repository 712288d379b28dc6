using Aggregator.Contracts.Client;
using Aggregator.Host.Tests.Lifecycle;
using Aggregator.Host.Tests.TestServices;
using Aggregator.Transport;

namespace Aggregator.Host.Tests.ClusterMode;

/// <summary>
/// Two cluster-mode processes share 4 shards and take no HTTP request at all: a producer client publishes straight
/// to the shard queues, and every entry is applied by the node that owns its shard and persisted once.
/// </summary>
public sealed class DirectPublishTests
{
    [ServiceFact("AGGREGATOR_TEST_POSTGRES", "AGGREGATOR_TEST_RABBITMQ")]
    public async Task Entries_published_straight_to_the_shard_queues_are_persisted_once_with_every_message_applied_once()
    {
        using var cluster = new ClusterNode(Guid.NewGuid().ToString("N")[..10], shards: 4, nodes: 2);
        var nodes = new List<ServiceProcess>();
        try
        {
            foreach (var ordinal in new[] { 0, 1 }) nodes.Add(await cluster.StartAsync(ordinal));
            var ids = Enumerable.Range(0, 200).Select(i => $"direct-{i}").ToList();
            await using (var client = ShardQueueClient.Create(new AggregatorClientOptions(),
                new ShardQueueOptions { RabbitMqUri = new Uri(ClusterNode.RabbitMq), QueuePrefix = cluster.QueuePrefix, Shards = cluster.Shards }))
            {
                for (var i = 0; i < ids.Count; i++)
                {
                    using var entry = client.Open("Direct", entryId: ids[i]);
                    for (var n = 0; n < i % 5; n++) entry.Add("N", i);
                }
                Assert.True(await client.FlushAsync());
                var stats = client.Statistics;
                Assert.Equal(stats.Enqueued, stats.Accepted);
                Assert.Equal(0, stats.FailedBatches);
            }

            await cluster.AssertPersistedAsync(ids.Select((id, i) => (id, (long)i * (i % 5))), "N");
            await cluster.AssertAggregatesAsync("Direct");
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }
}
