using Aggregator.Actors.Kernel;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Entries;

/// <summary>Contract rows OpenSlot (Wait and Discard) and the child's Set/Add/Observe, Complete and crash.</summary>
public sealed class SlotTests : EntryTestKit
{
    [Fact]
    public void A_Wait_slot_holds_the_entry_open_until_it_completes_and_its_fields_are_flattened()
    {
        Send(new Open("e1", "Op"));
        Send(new OpenSlot("e1", "db", SlotMode.Wait));
        Send(new SlotSet("e1", "db", "table", "ducks"));
        Send(new SlotAdd("e1", "db", "rows", 3));
        Send(new SlotAdd("e1", "db", "rows", 4));
        Send(new SlotObserve("e1", "db", "latency", 7, FieldUnit.Milliseconds));
        Send(new Close("e1"));
        Assert.Equal(["slot:db"], StateOf("e1").Pending);
        ExpectNotClosed("e1");

        Send(new CompleteSlot("e1", "db"));
        var closed = ExpectClosed("e1", CloseReason.Completed);
        Assert.Equal("ducks", closed.Fields["db.table"].Text);
        Assert.Equal(7, closed.Counters["db.rows"]);
        Assert.Equal(7, closed.Distributions["db.latency"].Sum);
        Assert.Empty(closed.Pending);
    }

    [Fact]
    public void The_slot_is_a_real_child_actor_of_the_entry()
    {
        Send(new Open("e1", "Op"));
        Send(new OpenSlot("e1", "db"));
        StateOf("e1");
        var snapshot = Sys.Instrumentation.Snapshot();
        Assert.Contains(snapshot.Actors, a => a.ActorType == "SlotActor" && a.Path.EndsWith("/e1/db", StringComparison.Ordinal));
    }

    [Fact]
    public void Slot_children_and_their_entry_are_gone_once_the_entry_closed()
    {
        Send(new Open("e1", "Op"));
        Send(new OpenSlot("e1", "done"));
        Send(new OpenSlot("e1", "open", SlotMode.Discard));
        Send(new CompleteSlot("e1", "done"));
        Send(new Close("e1"));
        ExpectClosed("e1", CloseReason.Completed);

        AwaitAssert(() => Assert.DoesNotContain(Sys.Instrumentation.Snapshot().Actors, a => a.ActorType is "SlotActor" or "EntryActor"));
    }

    [Fact]
    public void A_Discard_slot_does_not_hold_the_entry_and_its_data_is_dropped_and_counted()
    {
        Send(new Open("e1", "Op"));
        Send(new OpenSlot("e1", "cache", SlotMode.Discard));
        Send(new SlotSet("e1", "cache", "hit", true));
        Send(new Close("e1"));

        var closed = ExpectClosed("e1", CloseReason.Completed);
        Assert.False(closed.Fields.ContainsKey("cache.hit"));
        Assert.Equal(["slot:cache"], closed.Pending);
        AwaitStat("Op", s => s.DroppedSlots, 1);
        Send(new SlotSet("e1", "cache", "late", 1));
        Send(new CompleteSlot("e1", "cache"));
        AwaitStat("Op", s => s.Late, 2);
    }

    [Fact]
    public void A_Discard_slot_completed_before_close_is_flattened()
    {
        Send(new Open("e1", "Op"));
        Send(new OpenSlot("e1", "cache", SlotMode.Discard));
        Send(new SlotSet("e1", "cache", "hit", true));
        Send(new CompleteSlot("e1", "cache"));
        AwaitAssert(() => Assert.Empty(StateOf("e1").Pending));
        Send(new Close("e1"));

        Assert.True(ExpectClosed("e1", CloseReason.Completed).Fields["cache.hit"].Flag);
    }

    [Fact]
    public void A_crashing_slot_child_releases_its_Wait_guard_and_is_listed_in_failedSlots()
    {
        Send(new Open("e1", "Op"));
        Send(new OpenSlot("e1", "payment"));
        Send(new OpenSlot("e1", "audit"));
        Send(new SlotSet("e1", "payment", "attempt", 1));
        Send(new Close("e1"));
        Send(new FailSlot("e1", "payment", "card declined"));
        Send(new CompleteSlot("e1", "audit"));

        var closed = ExpectClosed("e1", CloseReason.Completed);
        Assert.Equal(["payment"], closed.FailedSlots);
        Assert.False(closed.Fields.ContainsKey("payment.attempt"));
        Assert.Empty(closed.Pending);
    }

    [Fact]
    public void Messages_to_a_completed_slot_are_late_and_to_an_unknown_slot_are_orphans()
    {
        Send(new Open("e1", "Op"));
        Send(new OpenSlot("e1", "db"));
        Send(new CompleteSlot("e1", "db"));
        Send(new SlotSet("e1", "db", "after", 1));
        Send(new SlotSet("e1", "nope", "x", 1));
        Send(new Close("e1"));

        var closed = ExpectClosed("e1", CloseReason.Completed);
        Assert.False(closed.Fields.ContainsKey("db.after"));
        AwaitStat("Op", s => s.Late, 1);
        AwaitStat("Op", s => s.Orphans, 1);
    }

    [Fact]
    public void Opening_a_slot_twice_is_rejected_and_the_first_stays()
    {
        Send(new Open("e1", "Op"));
        Send(new OpenSlot("e1", "db", SlotMode.Wait));
        Send(new OpenSlot("e1", "db", SlotMode.Discard));
        Send(new Close("e1"));
        ExpectNotClosed("e1");
        AwaitStat("Op", s => s.Rejected, 1);
        Send(new CompleteSlot("e1", "db"));
        ExpectClosed("e1", CloseReason.Completed);
    }

    [Fact]
    public void Slot_writes_from_a_contributor_actor_arrive_in_its_order()
    {
        var worker = Contributor.Start(Sys, Region.Ref);
        Send(new Open("e1", "Op"));
        Send(new OpenSlot("e1", "db"));
        StateOf("e1");
        for (var i = 1; i <= 100; i++) worker.Tell(new SlotSet("e1", "db", "last", i), ActorRefs.NoSender);
        worker.Tell(new CompleteSlot("e1", "db"), ActorRefs.NoSender);
        Send(new Close("e1"));

        Assert.Equal(100, ExpectClosed("e1", CloseReason.Completed).Fields["db.last"].Number);
    }
}
