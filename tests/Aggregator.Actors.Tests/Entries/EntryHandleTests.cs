using Aggregator.Actors.Entries;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Entries;

/// <summary>The in-process producer API: handles shaped like metrique's, safe from any thread, no-ops after release.</summary>
public sealed class EntryHandleTests : EntryTestKit
{
    [Fact]
    public void A_handle_builds_the_whole_entry_and_Dispose_closes_it()
    {
        string id;
        using (var entry = Region.Open("GetDucks", new Dictionary<string, string> { ["tenant"] = "t1" }))
        {
            id = entry.Id;
            entry.Set("status", 200).Add("ducks", 3).Add("ducks").Observe("size", 10, FieldUnit.Bytes);
            entry.StartTimer("total");
            using (var db = entry.OpenSlot("db"))
                db.Set("table", "ducks").Add("rows", 2).Observe("latency", 4, FieldUnit.Milliseconds);
            using var cache = entry.OpenSlot("cache", SlotMode.Discard);
            cache.Set("hit", true);
        }

        var closed = ExpectClosed(id, CloseReason.Completed);
        Assert.Equal("GetDucks", closed.Operation);
        Assert.Equal("t1", closed.Dimensions["tenant"]);
        Assert.Equal(200, closed.Fields["status"].Number);
        Assert.Equal(4, closed.Counters["ducks"]);
        Assert.Equal(2, closed.Counters["db.rows"]);
        Assert.Equal("ducks", closed.Fields["db.table"].Text);
        Assert.Equal(FieldKind.Duration, closed.Fields["total"].Kind);
        Assert.Matches("^[0-9a-f]{16}-[0-9a-f]+$", id);
    }

    [Fact]
    public void Guard_handles_hold_the_entry_until_released()
    {
        var entry = Region.Open("Op", entryId: "e1");
        var guard = entry.AcquireGuard("upload");
        var timeout = entry.AcquireForceGuard("timeout");
        entry.Close();
        Assert.Equal(["force:timeout", "guard:upload"], StateOf("e1").Pending.Order());
        ExpectNotClosed("e1");

        guard.Dispose();
        Assert.Equal(["force:timeout"], ExpectClosed("e1", CloseReason.Completed).Pending);
        timeout.Release();
        AwaitStat("Op", s => s.Late, 1);
    }

    [Fact]
    public void Using_a_handle_after_its_owner_closed_it_is_a_counted_no_op()
    {
        var entry = Region.Open("Op", entryId: "e1");
        var slot = entry.OpenSlot("db", SlotMode.Discard);
        slot.Complete();
        entry.Close();
        ExpectClosed("e1", CloseReason.Completed);

        entry.Set("late", 1).Add("n").Observe("x", 1);
        entry.Close();
        entry.Discard();
        entry.Dispose();
        slot.Set("late", 1);
        slot.Complete();
        var afterRelease = entry.OpenSlot("another");
        afterRelease.Set("x", 1);
        entry.AcquireGuard("g").Release();

        AwaitStat("Op", s => s.UseAfterClose, 11);
        Sink.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        Assert.Equal(0, StatsOf("Op").Late);
    }

    [Fact]
    public void Discard_through_a_handle_emits_nothing()
    {
        var entry = Region.Open("Op");
        entry.Add("n");
        entry.Discard();
        AwaitStat("Op", s => s.Discarded, 1);
        Sink.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void A_failed_slot_handle_lists_the_slot_in_failedSlots()
    {
        var entry = Region.Open("Op", entryId: "e1");
        var slot = entry.OpenSlot("payment");
        entry.Close();
        slot.Fail("card declined");
        Assert.Equal(["payment"], ExpectClosed("e1", CloseReason.Completed).FailedSlots);
    }

    [Fact]
    public void Handles_used_from_many_threads_lose_nothing()
    {
        var entry = Region.Open("Op", entryId: "e1");
        var guard = entry.AcquireGuard("workers");
        Parallel.For(0, 8, worker =>
        {
            var slot = entry.OpenSlot($"w{worker}");
            for (var i = 0; i < 1000; i++)
            {
                entry.Add("total");
                slot.Add("mine");
            }
            slot.Complete();
        });
        guard.Release();
        entry.Close();

        var closed = ExpectClosed("e1", CloseReason.Completed);
        Assert.Equal(8000, closed.Counters["total"]);
        for (var worker = 0; worker < 8; worker++) Assert.Equal(1000, closed.Counters[$"w{worker}.mine"]);
    }

    [Fact]
    public void A_handle_whose_entry_expired_has_its_later_writes_counted_late()
    {
        var entry = Region.Open("Op", maxLifetime: TimeSpan.FromMinutes(1), entryId: "e1");
        var slot = entry.OpenSlot("db");
        entry.Add("n");
        StateOf("e1");
        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, ExpectClosed("e1", CloseReason.Expired).Counters["n"]);

        entry.Add("n").Set("f", 1);
        slot.Set("rows", 1).Complete();
        entry.OpenSlot("another").Set("x", 1).Complete();
        AwaitStat("Op", s => s.Late, 5);
        Assert.Equal(0, StatsOf("Op").UseAfterClose);
    }

    [Fact]
    public void Writes_through_the_handle_of_a_crashed_slot_are_counted_late()
    {
        var entry = Region.Open("Op", entryId: "e1");
        var slot = entry.OpenSlot("payment");
        var audit = entry.OpenSlot("audit");
        entry.Close();
        slot.Fail("declined");
        AwaitAssert(() => Assert.Equal(["slot:audit"], StateOf("e1").Pending));
        Send(new SlotSet("e1", "payment", "after", 1));
        AwaitStat("Op", s => s.Late, 1);
        audit.Complete();
        Assert.Equal(["payment"], ExpectClosed("e1", CloseReason.Completed).FailedSlots);
    }

    [Fact]
    public void Two_handles_opening_the_same_id_write_to_one_entry()
    {
        var first = Region.Open("Op", entryId: "e1");
        var guard = first.AcquireGuard("work");
        var second = Region.Open("Op", entryId: "e1");
        second.Add("n", 2);
        first.Add("n", 3);
        // The two handles' messages take separate paths, so wait until both adds landed before releasing.
        AwaitAssert(() => Assert.Equal(5, StateOf("e1").Counters["n"]));
        second.Dispose();
        first.Close();
        guard.Release();

        var closed = ExpectClosed("e1", CloseReason.Completed);
        Assert.Equal(5, closed.Counters["n"]);
        AwaitStat("Op", s => s.DuplicateOpens, 1);
    }

    [Fact]
    public void While_the_sinks_have_no_room_Open_refuses_and_counts_and_TryOpen_says_no()
    {
        var room = false;
        Region.AdmitWhen(_ => room);
        var error = Assert.Throws<EntryRejectedException>(() => Region.Open("Op", entryId: "e1"));
        Assert.Equal("e1", error.EntryId);
        Assert.False(Region.TryOpen("Op", out var refused));
        Assert.Null(refused);
        Assert.Equal(2, StatsOf("Op").Refused);

        room = true;
        Assert.True(Region.TryOpen("Op", out var entry, entryId: "e2"));
        entry.Close();
        ExpectClosed("e2", CloseReason.Completed);
    }

    [Fact]
    public void Bad_arguments_fail_fast_at_the_call_with_the_parameter_named()
    {
        var entry = Region.Open("Op");
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => entry.Set(" ", 1)).ParamName);
        Assert.Equal("operation", Assert.Throws<ArgumentException>(() => Region.Open("")).ParamName);
        Assert.Equal("maxLifetime", Assert.Throws<ArgumentOutOfRangeException>(() => Region.Open("Op", maxLifetime: TimeSpan.Zero)).ParamName);
    }
}
