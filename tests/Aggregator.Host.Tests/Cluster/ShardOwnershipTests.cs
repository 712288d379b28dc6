using Aggregator.Host.Cluster;

namespace Aggregator.Host.Tests.Cluster;

/// <summary>Which pod owns which shard: the split every pod computes alike, without talking to the others.</summary>
public sealed class ShardOwnershipTests
{
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
}
