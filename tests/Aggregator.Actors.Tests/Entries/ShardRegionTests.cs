using Aggregator.Actors.Entries;
using Aggregator.Actors.Sharding;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Entries;

/// <summary>The entry region's sharding: stable shard ids, the region state query, and tombstones bounded by age and count.</summary>
public sealed class ShardRegionTests : EntryTestKit
{
    public ShardRegionTests() : base(settings: new EntrySettings { Shards = 4, TombstoneTtl = TimeSpan.FromMinutes(1), MaxTombstonesPerShard = 3 }) { }

    [Fact]
    public void Shard_ids_are_a_stable_hash_of_the_entity_id()
    {
        var extractor = new EntryMessageExtractor(16);
        // Pinned: ownership must agree across processes and pods, so the hash may never change.
        Assert.Equal(StableHash.Of("order-42") % 16, (uint)extractor.ShardId("order-42"));
        Assert.Equal(2166136261u, StableHash.Of(""));
        Assert.Equal(0x2B24D044u, StableHash.Of("a")); // FNV-1a of the UTF-16LE bytes 61 00
        Assert.Equal("e1", extractor.EntityId(new Set("e1", "f", 1)));
        Assert.Null(extractor.EntityId("not an entry message"));
    }

    [Fact]
    public void Ids_spread_over_all_shards()
    {
        var extractor = new EntryMessageExtractor(8);
        var perShard = Enumerable.Range(0, 8000).GroupBy(i => extractor.ShardId($"entry-{i}")).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(8, perShard.Count);
        Assert.All(perShard.Values, count => Assert.InRange(count, 800, 1200));
    }

    [Fact]
    public async Task The_region_state_lists_every_shard_with_its_live_entries()
    {
        for (var i = 0; i < 10; i++) Send(new Open($"e{i}", "Op"));
        for (var i = 0; i < 10; i++) StateOf($"e{i}");
        Send(new Close("e0"));
        ExpectClosed("e0", CloseReason.Completed);

        var state = await Region.GetStateAsync();
        Assert.Equal(EntryRegion.DefaultTypeName, state.TypeName);
        Assert.Equal([0, 1, 2, 3], state.Shards.Select(s => s.ShardId));
        Assert.Equal(9, state.EntityCount);
        var extractor = new EntryMessageExtractor(4);
        for (var shard = 0; shard < 4; shard++)
            Assert.Equal(Enumerable.Range(1, 9).Count(i => extractor.ShardId($"e{i}") == shard), state.Shards[shard].EntityCount);
    }

    [Fact]
    public void Telling_the_region_GetShardRegionState_answers_the_sender()
    {
        Send(new Open("e1", "Op"));
        StateOf("e1");
        Region.Ref.Tell(GetShardRegionState.Instance, TestActor);
        Assert.Equal(1, ExpectMsg<ShardRegionState>().EntityCount);
    }

    [Fact]
    public void A_message_that_names_no_entry_becomes_a_dead_letter()
    {
        var before = Sys.DeadLetterOffice.Count;
        Region.Ref.Tell("hello", TestActor);
        AwaitAssert(() => Assert.Equal(before + 1, Sys.DeadLetterOffice.Count));
    }

    [Fact]
    public void After_the_tombstone_ttl_an_ended_id_is_forgotten_and_may_be_opened_again()
    {
        Send(new Open("e1", "Op"));
        Send(new Close("e1"));
        ExpectClosed("e1", CloseReason.Completed);
        Send(new Set("e1", "a", 1));
        AwaitStat("Op", s => s.Late, 1);

        Clock.Advance(TimeSpan.FromMinutes(1));
        Send(new Set("e1", "a", 1));
        AwaitStat(EntryStatistics.UnknownOperation, s => s.Orphans, 1);
        Send(new Open("e1", "Op"));
        Send(new Close("e1"));
        ExpectClosed("e1", CloseReason.Completed);
    }

    [Fact]
    public async Task Tombstones_beyond_the_per_shard_cap_are_forgotten_oldest_first_and_counted()
    {
        var extractor = new EntryMessageExtractor(4);
        var sameShard = Enumerable.Range(0, 1000).Select(i => $"e{i}").Where(id => extractor.ShardId(id) == 0).Take(5).ToList();
        foreach (var id in sameShard)
        {
            Send(new Open(id, "Op"));
            Send(new Close(id));
            ExpectClosed(id, CloseReason.Completed);
        }
        AwaitStat("Op", s => s.TombstonesEvicted, 2);
        Assert.Equal(3, (await Region.GetStateAsync()).Shards[0].TombstoneCount);
        Send(new Set(sameShard[0], "a", 1));
        Send(new Set(sameShard[4], "a", 1));
        AwaitStat(EntryStatistics.UnknownOperation, s => s.Orphans, 1);
        AwaitStat("Op", s => s.Late, 1);
    }
}
