using Aggregator.Actors.Entries;
using Aggregator.Actors.Kernel;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Entries;

/// <summary>Contract rows Open, Close and Discard, and what happens to messages that arrive for ended or unknown ids.</summary>
public sealed class EntryLifecycleTests : EntryTestKit
{
    [Fact]
    public void Open_then_Close_emits_one_Completed_entry_with_its_identity_and_times()
    {
        var openedAt = Clock.GetUtcNow();
        Send(new Open("e1", "GetDucks", new Dictionary<string, string> { ["region"] = "eu" }));
        StateOf("e1");
        Clock.Advance(TimeSpan.FromMilliseconds(250));
        Send(new Close("e1"));

        var closed = ExpectClosed("e1", CloseReason.Completed);
        Assert.Equal("GetDucks", closed.Operation);
        Assert.Equal("eu", closed.Dimensions["region"]);
        Assert.Equal(openedAt, closed.OpenedAt);
        Assert.Equal(openedAt + TimeSpan.FromMilliseconds(250), closed.ClosedAt);
        Assert.Empty(closed.Pending);
        Assert.Empty(closed.FailedSlots);
        Assert.Equal(1, closed.InFlightAtOpen);
        Sink.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        AwaitStat("GetDucks", s => s.Closed[CloseReason.Completed], 1);
    }

    [Fact]
    public void A_duplicate_Open_of_an_open_id_is_ignored_and_counted()
    {
        Send(new Open("e1", "Op"));
        Send(new Set("e1", "a", 1));
        Send(new Open("e1", "Op", new Dictionary<string, string> { ["x"] = "y" }));
        Send(new Close("e1"));

        var closed = ExpectClosed("e1", CloseReason.Completed);
        Assert.Equal(1.0, closed.Fields["a"].Number);
        Assert.Empty(closed.Dimensions);
        AwaitStat("Op", s => s.DuplicateOpens, 1);
        Assert.Equal(1, StatsOf("Op").Opened);
    }

    [Fact]
    public void A_redelivered_Open_of_a_closed_id_never_resurrects_it()
    {
        Send(new Open("e1", "Op"));
        Send(new Close("e1"));
        ExpectClosed("e1", CloseReason.Completed);

        Send(new Open("e1", "Op"));
        Send(new Close("e1"));
        AwaitStat("Op", s => s.DuplicateOpens, 1);
        AwaitStat("Op", s => s.Late, 1);
        Sink.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        Assert.Equal(1, StatsOf("Op").Opened);
    }

    [Fact]
    public void Discard_emits_nothing_and_later_messages_are_late()
    {
        Send(new Open("e1", "Op"));
        Send(new Add("e1", "n", 1));
        Send(new Discard("e1"));
        Send(new Add("e1", "n", 1));
        Send(new Close("e1"));

        AwaitStat("Op", s => s.Discarded, 1);
        AwaitStat("Op", s => s.Late, 2);
        Sink.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        Assert.Equal(0, StatsOf("Op").InFlight);
    }

    [Fact]
    public void Messages_after_close_are_counted_late_under_the_entry_operation()
    {
        Send(new Open("e1", "Op"));
        Send(new Close("e1"));
        ExpectClosed("e1", CloseReason.Completed);
        Send(new Set("e1", "a", 1));
        Send(new Add("e1", "n", 1));
        Send(new SlotSet("e1", "db", "rows", 1));

        AwaitStat("Op", s => s.Late, 3);
    }

    [Fact]
    public void Messages_for_an_id_never_opened_are_counted_as_orphans()
    {
        Send(new Set("ghost", "a", 1));
        Send(new Close("ghost"));

        AwaitStat(EntryStatistics.UnknownOperation, s => s.Orphans, 2);
        Sink.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void An_Open_without_an_operation_is_rejected_and_counted_not_thrown()
    {
        Send(new Open("e1", " "));
        AwaitStat(EntryStatistics.UnknownOperation, s => s.Rejected, 1);
        Send(new Set("e1", "a", 1));
        AwaitStat(EntryStatistics.UnknownOperation, s => s.Orphans, 1);
    }

    [Fact]
    public void An_Open_whose_id_holds_nul_is_rejected_and_counted_since_no_store_could_keep_it()
    {
        Send(new Open("e\0", "Op"));
        AwaitStat("Op", s => s.Rejected, 1);
        Send(new Set("e\0", "a", 1));
        AwaitStat(EntryStatistics.UnknownOperation, s => s.Orphans, 1);
    }

    [Fact]
    public void A_second_Close_is_counted_and_changes_nothing()
    {
        Send(new Open("e1", "Op"));
        Send(new AcquireGuard("e1", "work"));
        Send(new Close("e1"));
        Send(new Close("e1"));
        ExpectNotClosed("e1");
        AwaitStat("Op", s => s.Rejected, 1);
        Send(new ReleaseGuard("e1", "work"));
        ExpectClosed("e1", CloseReason.Completed);
    }

    [Fact]
    public void An_owner_actor_that_stops_releases_the_entry()
    {
        var owner = Contributor.Start(Sys, Region.Ref);
        owner.Tell(new Open("e1", "Op"));
        owner.Tell(new Set("e1", "a", "kept"));
        AwaitAssert(() => Assert.Equal(1, StatsOf("Op").InFlight));
        ExpectNotClosed("e1");
        Sys.Stop(owner);

        var closed = ExpectClosed("e1", CloseReason.Completed);
        Assert.Equal("kept", closed.Fields["a"].Text);
    }

    [Fact]
    public void Entry_ids_with_reserved_characters_work()
    {
        const string id = "tenant/42 job#7?$x";
        Send(new Open(id, "Op"));
        Send(new Close(id));
        Assert.Equal(id, ExpectClosed().Id);
    }
}
