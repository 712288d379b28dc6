using Aggregator.Actors.Entries;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Entries;

/// <summary>
/// Snapshot → codec → restore into a new actor system → the same further messages: every entry closes exactly as it
/// does in the region that never restarted. The cut falls with entries in every state the close rule distinguishes.
/// </summary>
public sealed class CheckpointRoundTripTests
{
    private static readonly DateTimeOffset Stamp = new(2025, 12, 24, 18, 30, 15, TimeSpan.FromHours(5.5));

    [Fact]
    public async Task Entries_in_every_state_close_after_a_restore_exactly_as_without_one()
    {
        var config = new SharedState<string>("config", "v1", v => v);
        using var original = CheckpointNode.Start("original", CheckpointNode.Settings(3, config));
        Prefix(original);
        config.Swap("v2");

        var checkpoint = await original.Region.CheckpointAsync(_ => true);
        Assert.Equal(["deadline", "expires", "forced", "guards", "slots", "timeout"], checkpoint.Entries.Select(e => e.Id).Order(StringComparer.Ordinal));
        var stored = EntryCheckpointCodec.Decode(EntryCheckpointCodec.Encode(checkpoint));

        using var restored = CheckpointNode.Start("restored", CheckpointNode.Settings(3, new SharedState<string>("config", "v2", v => v)), original.Clock.GetUtcNow());
        Assert.Equal(new CheckpointRestored(6, 0, 0), await restored.Region.RestoreAsync(stored));
        restored.Know(stored.Entries.Select(e => e.Id));

        Rest(original);
        Rest(restored);
        var expected = original.Finish();
        var actual = restored.Finish();

        ClosedEntryAssert.SameById(expected, actual);
        var byId = actual.ToDictionary(e => e.Id);
        // The states were the intended ones: each closes for the reason its state implies.
        Assert.Equal(CloseReason.Completed, byId["guards"].CloseReason);
        Assert.Equal(["force:flush"], byId["guards"].Pending);
        Assert.Equal(FieldValue.Of("v1"), byId["guards"].Fields["config"]);
        Assert.Equal(FieldValue.Of("v2"), byId["later"].Fields["config"]);
        Assert.Equal(15, byId["guards"].Distributions["latency"].Count);
        Assert.Equal(CloseReason.ForceFlushed, byId["forced"].CloseReason);
        Assert.Equal(CloseReason.Completed, byId["slots"].CloseReason);
        Assert.Equal(43, byId["slots"].Counters["db.rows"]);
        Assert.Equal(1, byId["slots"].Counters["done.n"]);
        Assert.Equal(["slot:cache"], byId["slots"].Pending);
        Assert.Equal(["crash"], byId["slots"].FailedSlots);
        Assert.Equal(CloseReason.TimedOut, byId["timeout"].CloseReason);
        Assert.Equal(TimeSpan.FromSeconds(1), byId["timeout"].Duration);
        Assert.Equal(CloseReason.Expired, byId["expires"].CloseReason);
        Assert.Equal(TimeSpan.FromSeconds(2), byId["expires"].Duration);
        Assert.Equal(CloseReason.TimedOut, byId["deadline"].CloseReason);
        Assert.Equal("ducks", byId["guards"].Dimensions["service"]);
        Assert.Equal("t1", byId["guards"].Dimensions["tenant"]);
    }

    [Fact]
    public async Task Slots_completing_or_crashing_as_the_checkpoint_is_taken_end_the_same_after_a_restore()
    {
        using var original = CheckpointNode.Start("original", CheckpointNode.Settings());
        original.Send(new Open("e1", "Op"));
        original.Send(new OpenSlot("e1", "db"));
        original.Send(new SlotAdd("e1", "db", "rows", 7));
        original.Send(new StartTimer("e1", "wait"));
        original.Send(new OpenSlot("e1", "crash"));
        // Not settled: each child may complete or crash before or after its entry's turn for the checkpoint.
        original.Region.Ref.Tell(new SlotObserve("e1", "db", "ms", 3), null);
        original.Region.Ref.Tell(new CompleteSlot("e1", "db"), null);
        original.Region.Ref.Tell(new FailSlot("e1", "crash", "boom"), null);
        var checkpoint = await original.Region.CheckpointAsync(_ => true);

        using var restored = CheckpointNode.Start("restored", CheckpointNode.Settings(), original.Clock.GetUtcNow());
        await restored.Region.RestoreAsync(EntryCheckpointCodec.Decode(EntryCheckpointCodec.Encode(checkpoint)));
        // The owner has not released, so the entry is open at the cut whichever way the race went.
        Assert.Single(checkpoint.Entries);
        foreach (var node in new[] { original, restored })
        {
            node.Settle("e1", "db");
            node.Settle("e1", "crash");
            node.Send(new Close("e1"));
        }

        var expected = original.Finish();
        var actual = restored.Finish();
        ClosedEntryAssert.SameById(expected, actual);
        Assert.Equal(CloseReason.Completed, actual[0].CloseReason);
        Assert.Equal(7, actual[0].Counters["db.rows"]);
        Assert.Equal(["crash"], actual[0].FailedSlots);
    }

    [Fact]
    public async Task A_restored_slot_whose_completion_or_crash_was_on_the_way_completes_or_fails_again()
    {
        using var node = CheckpointNode.Start("restored", CheckpointNode.Settings());
        var at = node.Clock.GetUtcNow();
        var subRecord = new RecordSnapshot(
            new Dictionary<string, FieldValue> { ["table"] = "ducks" },
            new Dictionary<string, long> { ["rows"] = 2 },
            new Dictionary<string, DistributionSnapshot>(),
            new Dictionary<string, TimerSnapshot> { ["query"] = new(TimeSpan.FromMilliseconds(5), null) });
        var snapshot = new EntrySnapshot("m1", "Op", null, at - TimeSpan.FromSeconds(1), 3, null, at + TimeSpan.FromMinutes(1),
            OwnerReleased: true, ForceReleased: false, DeadlinePassed: false, [], RecordSnapshot.Empty,
            [
                new SlotSnapshot("db", SlotMode.Wait, SlotSnapshotStatus.Completing, subRecord),
                new SlotSnapshot("crash", SlotMode.Wait, SlotSnapshotStatus.Failing, null),
                new SlotSnapshot("done", SlotMode.Discard, SlotSnapshotStatus.Completed, null),
            ],
            []);

        Assert.Equal(new CheckpointRestored(1, 0, 0), await node.Region.RestoreAsync(new EntryCheckpoint([snapshot], [])));
        node.Settle("m1", "db");
        node.Settle("m1", "crash");
        var closed = Assert.Single(node.Finish());

        Assert.Equal(CloseReason.Completed, closed.CloseReason);
        Assert.Equal(FieldValue.Of("ducks"), closed.Fields["db.table"]);
        Assert.Equal(FieldValue.Of(TimeSpan.FromMilliseconds(5)), closed.Fields["db.query"]);
        Assert.Equal(2, closed.Counters["db.rows"]);
        Assert.Equal(["crash"], closed.FailedSlots);
        Assert.Empty(closed.Pending);
        Assert.Equal(3, closed.InFlightAtOpen);
        Assert.Equal(at - TimeSpan.FromSeconds(1), closed.OpenedAt);
    }

    [Fact]
    public async Task Only_the_selected_ids_are_checkpointed_and_a_forgotten_entry_is_never_emitted_by_the_old_owner()
    {
        using var original = CheckpointNode.Start("original", CheckpointNode.Settings());
        for (var i = 0; i < 12; i++) original.Send(new Open($"e{i}", "Op"));
        Func<string, bool> clusterShard = id => Aggregator.Contracts.StableHash.Of(id) % 4 == 1;

        var checkpoint = await original.Region.CheckpointAsync(clusterShard);
        var mine = Enumerable.Range(0, 12).Select(i => $"e{i}").Where(clusterShard).ToList();
        Assert.NotEmpty(mine);
        Assert.Equal(mine.Order(StringComparer.Ordinal), checkpoint.Entries.Select(e => e.Id).Order(StringComparer.Ordinal));

        Assert.Equal(mine.Count, await original.Region.ForgetAsync(clusterShard));
        var left = original.Finish();
        Assert.Equal(12 - mine.Count, left.Count);
        Assert.DoesNotContain(left, e => clusterShard(e.Id));
        Assert.Equal(0, original.Region.Statistics.Snapshot("Op")!.InFlight);
    }

    /// <summary>Up to the cut: entries in every interesting state, and three shard ticks of virtual time.</summary>
    private static void Prefix(CheckpointNode node)
    {
        // Guards held, a force guard held, every field kind, a distribution past its reservoir, timers running and stopped.
        node.Send(new Open("guards", "Upload", new Dictionary<string, string> { ["tenant"] = "t1" }, ForceFlushAfter: TimeSpan.FromSeconds(30)));
        node.Send(new Set("guards", "status", 200));
        node.Send(new Set("guards", "name", "ducks"));
        node.Send(new Set("guards", "cached", true));
        node.Send(new Set("guards", "took", FieldValue.Of(TimeSpan.FromTicks(15_001), FieldUnit.Microseconds)));
        node.Send(new Set("guards", "at", Stamp));
        node.Send(new Set("guards", "ratio", FieldValue.Of(0.1 + 0.2, FieldUnit.Percent)));
        node.Send(new Add("guards", "n", 3));
        for (var i = 1; i <= 10; i++) node.Send(new Observe("guards", "latency", i * 1.1, FieldUnit.Milliseconds));
        node.Send(new AcquireGuard("guards", "upload"));
        node.Send(new AcquireGuard("guards", "upload"));
        node.Send(new AcquireGuard("guards", "flush", Force: true));
        node.Send(new StartTimer("guards", "total"));
        node.Send(new StartTimer("guards", "db"));
        node.Send(new Close("guards"));

        // A force guard released by nobody yet, a flush guard that keeps the entry open meanwhile.
        node.Send(new Open("forced", "Op"));
        node.Send(new AcquireGuard("forced", "work"));
        node.Send(new AcquireGuard("forced", "stop", Force: true));
        node.Send(new Close("forced"));

        // Open Wait and Discard slots with sub-records, a completed slot and a failed one.
        node.Send(new Open("slots", "Op"));
        node.Send(new OpenSlot("slots", "db"));
        node.Send(new SlotSet("slots", "db", "table", "ducks"));
        node.Send(new SlotAdd("slots", "db", "rows", 42));
        for (var i = 1; i <= 6; i++) node.Send(new SlotObserve("slots", "db", "ms", i, FieldUnit.Milliseconds));
        node.Send(new OpenSlot("slots", "cache", SlotMode.Discard));
        node.Send(new SlotAdd("slots", "cache", "hits", 1));
        node.Send(new OpenSlot("slots", "done"));
        node.Send(new SlotAdd("slots", "done", "n", 1));
        node.Send(new CompleteSlot("slots", "done"));
        node.Send(new OpenSlot("slots", "crash"));
        node.Send(new FailSlot("slots", "crash", "generated"));

        // Deadlines pending: forceFlushAfter, maxLifetime, and one forceFlushAfter already passed.
        node.Send(new Open("timeout", "Op", ForceFlushAfter: TimeSpan.FromSeconds(1)));
        node.Send(new AcquireGuard("timeout", "work"));
        node.Send(new Close("timeout"));
        node.Send(new Open("expires", "Op", MaxLifetime: TimeSpan.FromSeconds(2)));
        node.Send(new Add("expires", "n", 1));
        node.Send(new StartTimer("expires", "run"));
        node.Send(new Open("deadline", "Op", ForceFlushAfter: TimeSpan.FromMilliseconds(200)));
        node.Send(new AcquireGuard("deadline", "work"));

        for (var i = 0; i < 3; i++) node.Tick();
        node.Send(new StopTimer("guards", "db"));
    }

    /// <summary>After the cut: the same messages and the same virtual time for both regions.</summary>
    private static void Rest(CheckpointNode node)
    {
        node.Send(new Open("later", "Op"));
        node.Send(new Close("later"));
        node.Send(new Close("deadline"));
        node.Send(new ReleaseGuard("guards", "upload"));
        node.Send(new Add("guards", "n", 2));
        for (var i = 11; i <= 15; i++) node.Send(new Observe("guards", "latency", i * 0.7, FieldUnit.Milliseconds));
        node.Tick();
        node.Send(new ReleaseGuard("guards", "upload"));
        node.Send(new ReleaseGuard("forced", "stop"));
        node.Send(new SlotAdd("slots", "db", "rows", 1));
        node.Send(new SlotObserve("slots", "db", "ms", 7, FieldUnit.Milliseconds));
        node.Send(new CompleteSlot("slots", "db"));
        node.Send(new Close("slots"));
        for (var i = 0; i < 20; i++) node.Tick();
    }
}
