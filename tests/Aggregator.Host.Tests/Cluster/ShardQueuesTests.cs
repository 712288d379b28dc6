using Aggregator.Actors.Sharding;
using Aggregator.Contracts;
using Aggregator.Host.Cluster;
using Aggregator.Transport;

namespace Aggregator.Host.Tests.Cluster;

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

    [Theory]
    [InlineData(0, 1, 4, new[] { 0, 1, 2, 3 })]
    [InlineData(0, 3, 8, new[] { 0, 3, 6 })]
    [InlineData(1, 3, 8, new[] { 1, 4, 7 })]
    [InlineData(2, 3, 8, new[] { 2, 5 })]
    [InlineData(3, 4, 4, new[] { 3 })]
    public void A_pod_owns_the_shards_congruent_to_its_ordinal(int ordinal, int nodes, int shards, int[] expected)
    {
        Assert.Equal(expected, ShardOwnership.ShardsOf(ordinal, nodes, shards));
    }

    [Fact]
    public void Every_shard_has_exactly_one_owner()
    {
        const int shards = 32;
        for (var nodes = 1; nodes <= shards; nodes++)
        {
            var owners = Enumerable.Range(0, nodes).SelectMany(ordinal => ShardOwnership.ShardsOf(ordinal, nodes, shards)).Order();
            Assert.Equal(Enumerable.Range(0, shards), owners);
        }
    }

    private sealed class Extractor(int shards) : HashCodeMessageExtractor(shards)
    {
        public override string? EntityId(object message) => null;
    }
}
