using Aggregator.Actors.Kernel;

namespace Aggregator.Testing.Tests;

/// <summary>The kernel's timers (receive timeout, scheduler, ask timeout) run on the kit's <see cref="VirtualClock"/>.</summary>
public sealed class VirtualTimeKernelTests : TestKit
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void The_system_runs_on_the_virtual_clock()
    {
        Assert.Same(Clock, Sys.TimeProvider);
    }

    [Fact]
    public void ReceiveTimeout_arrives_only_after_the_clock_passes_it()
    {
        var idle = StartIdleActor(TimeSpan.FromSeconds(5));

        Clock.Advance(TimeSpan.FromMilliseconds(4900));
        ExpectNoMsg(Quiet);

        Clock.Advance(TimeSpan.FromMilliseconds(100));
        ExpectMsg<ReceiveTimeout>();
        Assert.Equal(idle, LastSender);
    }

    [Fact]
    public void ReceiveTimeout_repeats_while_the_actor_stays_idle()
    {
        StartIdleActor(TimeSpan.FromSeconds(5));

        Clock.Advance(TimeSpan.FromSeconds(5));
        ExpectMsg<ReceiveTimeout>(); // the kernel re-armed the timer before delivering this, so advancing again is safe
        Clock.Advance(TimeSpan.FromMilliseconds(4999));
        ExpectNoMsg(Quiet);
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        ExpectMsg<ReceiveTimeout>();
    }

    [Fact]
    public void A_message_restarts_the_receive_timeout()
    {
        var idle = StartIdleActor(TimeSpan.FromSeconds(5));
        Clock.Advance(TimeSpan.FromSeconds(3));

        idle.Tell("activity", null); // at virtual 3 s
        idle.Tell(new IdleActor.Fence(), TestActor);
        ExpectMsg<IdleActor.Fence>();

        Clock.Advance(TimeSpan.FromSeconds(2)); // virtual 5 s: only 2 s idle
        ExpectNoMsg(Quiet);
        Clock.Advance(TimeSpan.FromSeconds(3)); // virtual 8 s: 5 s idle
        ExpectMsg<ReceiveTimeout>();
    }

    [Fact]
    public void AwaitStarted_does_not_count_as_activity()
    {
        var idle = Sys.ActorOf(Props.Create(() => new IdleActor(TestActor, TimeSpan.FromSeconds(5))), "idle");
        AwaitStarted(idle);
        Clock.Advance(TimeSpan.FromSeconds(3));
        AwaitStarted(idle); // only asks whether it is alive

        Clock.Advance(TimeSpan.FromSeconds(2));

        ExpectMsg<ReceiveTimeout>(TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public void ScheduleTellOnce_with_zero_delay_delivers_without_Advance()
    {
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.Zero, TestActor, "now", null);
        ExpectMsg("now", TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public void No_ReceiveTimeout_without_advancing_the_clock()
    {
        Sys.ActorOf(Props.Create(() => new IdleActor(TestActor, TimeSpan.FromMilliseconds(1))), "idle");
        ExpectNoMsg(TimeSpan.FromMilliseconds(150)); // 150 real ms, zero virtual ms
    }

    /// <summary>
    /// Starts an <see cref="IdleActor"/> and waits until it is safe to move virtual time. AwaitStarted alone is not
    /// enough: its Identify counts as activity and the kernel stamps that activity after the reply went out, so an
    /// Advance right after AwaitStarted can race with the stamp (see <see cref="AwaitStarted_does_not_count_as_activity"/>).
    /// The fence does not count as activity and is handled only after the Identify turn has completely finished.
    /// </summary>
    private IActorRef StartIdleActor(TimeSpan timeout)
    {
        var idle = Sys.ActorOf(Props.Create(() => new IdleActor(TestActor, timeout)), "idle");
        AwaitStarted(idle);
        idle.Tell(new IdleActor.Fence(), TestActor);
        ExpectMsg<IdleActor.Fence>();
        return idle;
    }

    [Fact]
    public void ScheduleTellOnce_fires_only_on_Advance()
    {
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(3), TestActor, "tick", null);
        ExpectNoMsg(Quiet);

        Clock.Advance(TimeSpan.FromMilliseconds(2999));
        ExpectNoMsg(Quiet);

        Clock.Advance(TimeSpan.FromMilliseconds(1));
        ExpectMsg("tick");
        Clock.Advance(TimeSpan.FromMinutes(1));
        ExpectNoMsg(Quiet);
    }

    [Fact]
    public void A_cancelled_schedule_never_fires()
    {
        var scheduled = Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(1), TestActor, "tick", null);
        scheduled.Cancel();

        Clock.Advance(TimeSpan.FromSeconds(2));

        Assert.True(scheduled.IsCancellationRequested);
        ExpectNoMsg(Quiet);
    }

    [Fact]
    public void ScheduleTellRepeatedly_fires_once_per_interval_crossed()
    {
        var scheduled = Sys.Scheduler.ScheduleTellRepeatedly(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TestActor, "tick", null);

        Clock.Advance(TimeSpan.FromMilliseconds(3500));

        Assert.Equal(["tick", "tick", "tick"], ReceiveN(3));
        ExpectNoMsg(Quiet);
        scheduled.Cancel();
        Clock.Advance(TimeSpan.FromSeconds(5));
        ExpectNoMsg(Quiet);
    }

    [Fact]
    public async Task Ask_times_out_only_after_the_clock_passes_its_timeout()
    {
        var hole = Sys.ActorOf(Props.Create<BlackHoleActor>(), "hole");

        var ask = hole.Ask<Pong>(new Ping(1), TimeSpan.FromSeconds(2));

        Clock.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.NotSame(ask, await Task.WhenAny(ask, Task.Delay(Quiet)));

        Clock.Advance(TimeSpan.FromMilliseconds(1));
        var error = await Assert.ThrowsAsync<AskTimeoutException>(() => ask.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Contains("aggregator://test/user/hole", error.Message);
        Assert.Contains("Pong", error.Message);
        Assert.Contains("Ping", error.Message);
    }

    [Fact]
    public async Task Ask_gets_the_reply_without_any_Advance()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        var reply = await echo.Ask<Ping>(new Ping(2), TimeSpan.FromSeconds(2)).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(new Ping(2), reply);
    }
}
