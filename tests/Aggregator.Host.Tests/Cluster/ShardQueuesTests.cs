using Aggregator.Actors.Sharding;
using Aggregator.Contracts;
using Aggregator.Transport;

namespace Aggregator.Host.Tests.Cluster;

/// <summary>The shard queues' names and routing, which the pods and a producer publishing straight to them share.</summary>
public sealed class ShardQueuesTests
{
    [Fact]
    public void Names_are_prefix_dot_shard()
    {
        var queues = new ShardQueues("agg.shard", 12);
        Assert.Equal("agg.shard.0", queues.Name(0));
        Assert.Equal("agg.shard.11", queues.Name(11));
        Assert.Throws<ArgumentOutOfRangeException>(() => queues.Name(12));
    }

    [Fact]
    public void An_entry_goes_to_the_shard_the_local_region_uses()
    {
        var queues = new ShardQueues("q", 32);
        var region = new Extractor(32);
        for (var i = 0; i < 1000; i++)
        {
            var entry = $"order-{i}";
            Assert.Equal(region.ShardId(entry), queues.ShardOf(entry));
            Assert.Equal((int)(StableHash.Of(entry) % 32), queues.ShardOf(entry));
        }
    }

    private sealed class Extractor(int shards) : HashCodeMessageExtractor(shards)
    {
        public override string? EntityId(object message) => null;
    }
}
