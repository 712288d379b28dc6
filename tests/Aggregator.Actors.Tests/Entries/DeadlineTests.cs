using Aggregator.Actors.Entries;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Entries;

/// <summary>Close reasons TimedOut (forceFlushAfter), Expired (maxLifetime) and Shutdown, on virtual time.</summary>
public sealed class DeadlineTests : EntryTestKit
{
    public DeadlineTests() : base(settings: new EntrySettings { Shards = 4, DefaultMaxLifetime = TimeSpan.FromMinutes(5) }) { }

    [Fact]
    public void After_forceFlushAfter_an_owner_released_entry_closes_TimedOut_with_its_pending_work()
    {
        Send(new Open("e1", "Op", ForceFlushAfter: TimeSpan.FromSeconds(30)));
        Send(new OpenSlot("e1", "db"));
        Send(new Close("e1"));
        StateOf("e1");
        Clock.Advance(TimeSpan.FromSeconds(29));
        ExpectNotClosed("e1");

        Clock.Advance(TimeSpan.FromSeconds(1));
        var closed = ExpectClosed("e1", CloseReason.TimedOut);
        Assert.Equal(["slot:db"], closed.Pending);
        Assert.Equal(TimeSpan.FromSeconds(30), closed.Duration);
    }

    [Fact]
    public void A_deadline_never_fires_early_and_at_most_one_shard_tick_late()
    {
        // Shards check deadlines every DeadlineResolution (100 ms here), against the clock when the check runs.
        Send(new Open("e1", "Op", ForceFlushAfter: TimeSpan.FromMilliseconds(250)));
        Send(new AcquireGuard("e1", "work"));
        Send(new Close("e1"));
        StateOf("e1");
        Clock.Advance(TimeSpan.FromMilliseconds(249));
        ExpectNotClosed("e1");
        Clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.InRange(ExpectClosed("e1", CloseReason.TimedOut).Duration, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(349));
    }

    [Fact]
    public void A_passed_forceFlushAfter_deadline_still_waits_for_the_owner()
    {
        Send(new Open("e1", "Op", ForceFlushAfter: TimeSpan.FromSeconds(30)));
        Send(new AcquireGuard("e1", "work"));
        StateOf("e1");
        Clock.Advance(TimeSpan.FromSeconds(31));
        AwaitAssert(() => Assert.True(StateOf("e1").DeadlinePassed));
        ExpectNotClosed("e1");

        Send(new Close("e1"));
        Assert.Equal(["guard:work"], ExpectClosed("e1", CloseReason.TimedOut).Pending);
    }

    [Fact]
    public void The_service_default_forceFlushAfter_applies_when_Open_gives_none()
    {
        using var kit = new DefaultsKit(new EntrySettings { Shards = 2, DefaultForceFlushAfter = TimeSpan.FromSeconds(10) });
        kit.Run();
    }

    [Fact]
    public void After_maxLifetime_an_entry_closes_Expired_even_though_the_owner_never_released()
    {
        Send(new Open("e1", "Op", MaxLifetime: TimeSpan.FromMinutes(1)));
        Send(new Add("e1", "n", 2));
        StateOf("e1");
        Clock.Advance(TimeSpan.FromSeconds(59));
        ExpectNotClosed("e1");

        Clock.Advance(TimeSpan.FromSeconds(1));
        var closed = ExpectClosed("e1", CloseReason.Expired);
        Assert.Equal(2, closed.Counters["n"]);
        AwaitStat("Op", s => s.InFlight, 0);
    }

    [Fact]
    public void The_default_maxLifetime_means_no_entry_leaks()
    {
        Send(new Open("e1", "Op"));
        StateOf("e1");
        Clock.Advance(TimeSpan.FromMinutes(5));
        ExpectClosed("e1", CloseReason.Expired);
    }

    [Fact]
    public void A_closed_entry_cancels_its_deadlines()
    {
        Send(new Open("e1", "Op", ForceFlushAfter: TimeSpan.FromSeconds(1), MaxLifetime: TimeSpan.FromSeconds(2)));
        Send(new Close("e1"));
        ExpectClosed("e1", CloseReason.Completed);
        Clock.Advance(TimeSpan.FromSeconds(3));
        Sink.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        AwaitStat("Op", s => s.ClosedTotal, 1);
    }

    [Fact]
    public async Task At_shutdown_every_open_entry_closes_with_reason_Shutdown()
    {
        for (var i = 0; i < 20; i++)
        {
            Send(new Open($"e{i}", "Op"));
            Send(new AcquireGuard($"e{i}", "work"));
        }
        Send(new Open("done", "Op"));
        Send(new Close("done"));
        ExpectClosed("done", CloseReason.Completed);

        await Region.ShutdownAsync();
        var closed = Sink.ReceiveN(20).Cast<ClosedEntry>().ToList();
        Assert.All(closed, c => Assert.Equal(CloseReason.Shutdown, c.CloseReason));
        Assert.All(closed, c => Assert.Equal(["guard:work"], c.Pending));
        Assert.Equal(20, closed.Select(c => c.Id).Distinct().Count());
        Assert.Equal(0, (await Region.GetStateAsync()).EntityCount);
    }

    [Fact]
    public async Task Terminating_the_system_runs_the_shutdown_close_in_coordinated_shutdown()
    {
        Send(new Open("e1", "Op"));
        StateOf("e1");
        await Sys.Terminate();
        ExpectClosed("e1", CloseReason.Shutdown);
        Assert.Contains(Aggregator.Actors.Kernel.CoordinatedShutdown.Phases.ClusterShardingShutdownRegion, Sys.CoordinatedShutdown.CompletedPhases);
    }

    /// <summary>A second region with other defaults, sharing this test's system and clock.</summary>
    private sealed class DefaultsKit(EntrySettings settings) : EntryTestKit(settings: settings)
    {
        public void Run()
        {
            Send(new Open("e1", "Op"));
            Send(new AcquireGuard("e1", "work"));
            Send(new Close("e1"));
            StateOf("e1");
            Clock.Advance(TimeSpan.FromSeconds(10));
            ExpectClosed("e1", CloseReason.TimedOut);
        }
    }
}
