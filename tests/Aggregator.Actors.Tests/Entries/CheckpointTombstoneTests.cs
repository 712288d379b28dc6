using Aggregator.Actors.Entries;
using Aggregator.Actors.Sharding;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Entries;

/// <summary>
/// Ended ids travel with the checkpoint: after a restore, a late message is counted late (not an orphan) and a
/// redelivered Open of an ended id is a duplicate, never a second entry. What is already here wins over the checkpoint.
/// </summary>
public sealed class CheckpointTombstoneTests
{
    [Fact]
    public async Task After_a_restore_a_late_message_is_late_and_a_redelivered_Open_is_a_duplicate()
    {
        using var original = CheckpointNode.Start("original", CheckpointNode.Settings() with { CheckpointTombstoneWindow = TimeSpan.FromMinutes(1) });
        original.Send(new Open("ended", "Op"));
        original.Send(new Close("ended"));
        original.Send(new Open("dropped", "Op"));
        original.Send(new Discard("dropped"));
        original.AwaitTombstones(2);
        original.Clock.Advance(TimeSpan.FromSeconds(30));

        var checkpoint = await original.Region.CheckpointAsync(_ => true);
        Assert.Empty(checkpoint.Entries);
        Assert.Equal(["dropped", "ended"], checkpoint.Tombstones.Select(t => t.Id).Order(StringComparer.Ordinal));
        Assert.All(checkpoint.Tombstones, t => Assert.Equal(original.Clock.GetUtcNow() - TimeSpan.FromSeconds(30), t.EndedAt));

        using var restored = CheckpointNode.Start("restored", CheckpointNode.Settings(), original.Clock.GetUtcNow());
        Assert.Equal(new CheckpointRestored(0, 2, 0), await restored.Region.RestoreAsync(EntryCheckpointCodec.Decode(EntryCheckpointCodec.Encode(checkpoint))));

        restored.Send(new Add("ended", "n", 1));
        restored.Send(new Set("dropped", "f", 1));
        restored.Send(new Open("ended", "Op"));
        restored.Send(new Open("dropped", "Op"));
        restored.Send(new Close("ended"));

        Assert.Empty(restored.Finish());
        var stats = restored.Region.Statistics.Snapshot("Op")!;
        Assert.Equal(3, stats.Late);
        Assert.Equal(2, stats.DuplicateOpens);
        Assert.Equal(0, stats.Opened);
        Assert.Null(restored.Region.Statistics.Snapshot(EntryStatistics.UnknownOperation));
    }

    [Fact]
    public async Task A_restored_tombstone_lasts_the_TTL_from_when_the_entry_ended_not_from_the_restore()
    {
        var settings = CheckpointNode.Settings() with { TombstoneTtl = TimeSpan.FromMinutes(1), CheckpointTombstoneWindow = TimeSpan.FromMinutes(1) };
        using var original = CheckpointNode.Start("original", settings);
        original.Send(new Open("ended", "Op"));
        original.Send(new Close("ended"));
        original.AwaitTombstones(1);
        original.Clock.Advance(TimeSpan.FromSeconds(50));
        var checkpoint = await original.Region.CheckpointAsync(_ => true);

        using var restored = CheckpointNode.Start("restored", settings, original.Clock.GetUtcNow());
        await restored.Region.RestoreAsync(checkpoint);
        Assert.Null(await restored.Region.FindAsync("ended"));
        restored.Clock.Advance(TimeSpan.FromSeconds(10));
        restored.Send(new Open("ended", "Op"));
        restored.Send(new Close("ended"));
        // Ended 60 s ago: forgotten, so the Open is a new entry (as it would have been on the original).
        Assert.Equal("ended", Assert.Single(restored.Finish()).Id);
    }

    [Fact]
    public async Task A_checkpoint_carries_only_the_ids_that_ended_within_its_window()
    {
        var settings = CheckpointNode.Settings() with { TombstoneTtl = TimeSpan.FromMinutes(5), CheckpointTombstoneWindow = TimeSpan.FromSeconds(10) };
        using var original = CheckpointNode.Start("original", settings);
        original.Send(new Open("old", "Op"));
        original.Send(new Close("old"));
        original.AwaitTombstones(1);
        original.Clock.Advance(TimeSpan.FromSeconds(11));
        original.Send(new Open("recent", "Op"));
        original.Send(new Close("recent"));
        original.AwaitTombstones(2);
        original.Clock.Advance(TimeSpan.FromSeconds(9));

        var checkpoint = await original.Region.CheckpointAsync(_ => true);
        Assert.Equal("recent", Assert.Single(checkpoint.Tombstones).Id);

        // Here the old id is still remembered for its whole TTL: a late message for it is late, not an orphan.
        original.Send(new Add("old", "n", 1));
        Assert.Equal(["old", "recent"], original.Finish().Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal(1, original.Region.Statistics.Snapshot("Op")!.Late);

        // After the hand-over it is not: the message is counted as an orphan, and the recent id is still late.
        using var restored = CheckpointNode.Start("restored", settings, original.Clock.GetUtcNow());
        await restored.Region.RestoreAsync(checkpoint);
        restored.Send(new Add("old", "n", 1));
        restored.Send(new Add("recent", "n", 1));
        Assert.Empty(restored.Finish());
        Assert.Equal(1, restored.Region.Statistics.Snapshot("Op")!.Late);
        Assert.Equal(1, restored.Region.Statistics.Snapshot(EntryStatistics.UnknownOperation)!.Orphans);
    }

    [Fact]
    public async Task A_checkpoint_of_a_shard_slice_holds_exactly_what_the_same_predicate_selects()
    {
        using var node = CheckpointNode.Start("original", CheckpointNode.Settings());
        for (var i = 0; i < 60; i++)
        {
            node.Send(new Open($"e{i}", "Op"));
            if (i % 2 == 0) node.Send(new Close($"e{i}"));
        }
        node.AwaitTombstones(30);

        var seen = new List<string>();
        for (var index = 0; index < 3; index++)
        {
            var slice = new ShardSlice(3, index);
            var bySlice = await node.Region.CheckpointAsync(slice);
            var byPredicate = await node.Region.CheckpointAsync(id => StableHash.Of(id) % 3 == index);
            Assert.Equal(byPredicate.Entries.Select(e => e.Id).Order(StringComparer.Ordinal), bySlice.Entries.Select(e => e.Id).Order(StringComparer.Ordinal));
            Assert.Equal(byPredicate.Tombstones.Select(t => t.Id).Order(StringComparer.Ordinal), bySlice.Tombstones.Select(t => t.Id).Order(StringComparer.Ordinal));
            Assert.All(bySlice.Tombstones, t => Assert.True(slice.Contains(t.Id)));
            seen.AddRange(bySlice.Entries.Select(e => e.Id).Concat(bySlice.Tombstones.Select(t => t.Id)));
        }
        // The three slices partition the 60 ids: every one exactly once.
        Assert.Equal(Enumerable.Range(0, 60).Select(i => $"e{i}").Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_id_already_open_or_ended_here_is_skipped_and_counted()
    {
        using var original = CheckpointNode.Start("original", CheckpointNode.Settings());
        original.Send(new Open("a", "Op"));
        original.Send(new Add("a", "n", 1));
        original.Send(new Open("b", "Op"));
        original.Send(new Open("c", "Op"));
        original.Send(new Close("c"));
        var checkpoint = await original.Region.CheckpointAsync(_ => true);

        using var restored = CheckpointNode.Start("restored", CheckpointNode.Settings(), original.Clock.GetUtcNow());
        restored.Send(new Open("a", "Op"));
        restored.Send(new Open("c", "Op"));
        Assert.Equal(new CheckpointRestored(1, 0, 2), await restored.Region.RestoreAsync(checkpoint));

        var closed = restored.Finish().ToDictionary(e => e.Id);
        Assert.Equal(["a", "b", "c"], closed.Keys.Order(StringComparer.Ordinal));
        Assert.False(closed["a"].Counters.ContainsKey("n"));
        Assert.Equal(2, restored.Region.Statistics.Snapshot("Op")!.DuplicateOpens);
    }
}
