using Aggregator.Actors.Kernel;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Entries;

/// <summary>Contract rows AcquireGuard/ReleaseGuard: flush guards, force-flush guards, and guards released by DeathWatch.</summary>
public sealed class GuardTests : EntryTestKit
{
    [Fact]
    public void The_entry_waits_for_every_flush_guard_after_the_owner_released()
    {
        Send(new Open("e1", "Op"));
        Send(new AcquireGuard("e1", "upload"));
        Send(new AcquireGuard("e1", "upload"));
        Send(new AcquireGuard("e1", "index"));
        Send(new Close("e1"));
        Send(new ReleaseGuard("e1", "upload"));
        Send(new ReleaseGuard("e1", "index"));
        Assert.Equal(["guard:upload"], StateOf("e1").Pending);
        ExpectNotClosed("e1");

        Send(new ReleaseGuard("e1", "upload"));
        var closed = ExpectClosed("e1", CloseReason.Completed);
        Assert.Empty(closed.Pending);
    }

    [Fact]
    public void Guards_released_before_the_owner_releases_leave_the_owner_to_decide()
    {
        Send(new Open("e1", "Op"));
        Send(new AcquireGuard("e1", "work"));
        Send(new ReleaseGuard("e1", "work"));
        ExpectNotClosed("e1");
        Send(new Close("e1"));
        ExpectClosed("e1", CloseReason.Completed);
    }

    [Fact]
    public void Releasing_a_force_guard_closes_at_once_with_the_outstanding_work_pending()
    {
        Send(new Open("e1", "Op"));
        Send(new AcquireGuard("e1", "slow-task"));
        Send(new OpenSlot("e1", "db"));
        Send(new AcquireGuard("e1", "timeout", Force: true));
        Send(new Close("e1"));
        ExpectNotClosed("e1");

        Send(new ReleaseGuard("e1", "timeout"));
        var closed = ExpectClosed("e1", CloseReason.ForceFlushed);
        Assert.Equal(["guard:slow-task", "slot:db"], closed.Pending.Order());
    }

    [Fact]
    public void A_force_guard_released_before_the_owner_closes_the_entry_when_the_owner_releases()
    {
        Send(new Open("e1", "Op"));
        Send(new AcquireGuard("e1", "slow-task"));
        Send(new AcquireGuard("e1", "timeout", Force: true));
        Send(new ReleaseGuard("e1", "timeout"));
        Assert.True(StateOf("e1").ForceReleased);
        ExpectNotClosed("e1");

        Send(new Close("e1"));
        Assert.Equal(["guard:slow-task"], ExpectClosed("e1", CloseReason.ForceFlushed).Pending);
    }

    [Fact]
    public void An_unreleased_force_guard_does_not_hold_the_entry_open()
    {
        Send(new Open("e1", "Op"));
        Send(new AcquireGuard("e1", "timeout", Force: true));
        Send(new Close("e1"));
        Assert.Equal(["force:timeout"], ExpectClosed("e1", CloseReason.Completed).Pending);
    }

    [Fact]
    public void A_guard_held_by_an_actor_is_released_when_that_actor_stops()
    {
        var worker = Contributor.Start(Sys, Region.Ref);
        Send(new Open("e1", "Op"));
        worker.Tell(new AcquireGuard("e1", "worker"), ActorRefs.NoSender);
        AwaitAssert(() => Assert.Equal(["guard:worker"], StateOf("e1").Pending));
        Send(new Close("e1"));
        ExpectNotClosed("e1");

        Sys.Stop(worker);
        Assert.Empty(ExpectClosed("e1", CloseReason.Completed).Pending);
    }

    [Fact]
    public void A_force_guard_holder_that_stops_force_flushes()
    {
        var watchdog = Contributor.Start(Sys, Region.Ref);
        Send(new Open("e1", "Op"));
        Send(new AcquireGuard("e1", "work"));
        watchdog.Tell(new AcquireGuard("e1", "watchdog", Force: true), ActorRefs.NoSender);
        AwaitAssert(() => Assert.Contains("force:watchdog", StateOf("e1").Pending));
        Send(new Close("e1"));
        Sys.Stop(watchdog);
        Assert.Equal(["guard:work"], ExpectClosed("e1", CloseReason.ForceFlushed).Pending);
    }

    [Fact]
    public void A_guard_released_by_its_holder_is_not_released_again_when_the_holder_stops()
    {
        var worker = Contributor.Start(Sys, Region.Ref);
        Send(new Open("e1", "Op"));
        Send(new AcquireGuard("e1", "work"));
        worker.Tell(new AcquireGuard("e1", "work"), ActorRefs.NoSender);
        worker.Tell(new ReleaseGuard("e1", "work"), ActorRefs.NoSender);
        AwaitAssert(() => Assert.Equal(["guard:work"], StateOf("e1").Pending));
        Sys.Stop(worker);
        Send(new Close("e1"));
        Assert.Equal(["guard:work"], StateOf("e1").Pending);
        ExpectNotClosed("e1");
        Send(new ReleaseGuard("e1", "work"));
        ExpectClosed("e1", CloseReason.Completed);
    }

    [Fact]
    public void Releasing_a_guard_nobody_holds_is_rejected_and_counted()
    {
        Send(new Open("e1", "Op"));
        Send(new ReleaseGuard("e1", "never"));
        Send(new AcquireGuard("e1", "g"));
        Send(new AcquireGuard("e1", "g", Force: true));
        Send(new Close("e1"));
        AwaitStat("Op", s => s.Rejected, 2);
        Assert.Equal(["guard:g"], StateOf("e1").Pending);
    }
}
