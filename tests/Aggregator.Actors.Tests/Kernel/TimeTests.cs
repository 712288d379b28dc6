using Aggregator.Actors.Kernel;
using Aggregator.Testing;

namespace Aggregator.Actors.Tests.Kernel;

/// <summary>Receive timeouts, the scheduler and ask timeouts, all on the TestKit's virtual clock.</summary>
public sealed class TimeTests : TestKit
{
    [Fact]
    public void ReceiveTimeout_fires_after_the_idle_time_and_not_before()
    {
        var actor = Sys.ActorOf(Props.Create(() => new IdleActor(TestActor, TimeSpan.FromSeconds(5))));
        AwaitStarted(actor);
        Clock.Advance(TimeSpan.FromMilliseconds(4_999));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        ExpectMsg("idle");
    }

    [Fact]
    public void A_message_restarts_the_idle_time()
    {
        var actor = Sys.ActorOf(Props.Create(() => new IdleActor(TestActor, TimeSpan.FromSeconds(5))));
        AwaitStarted(actor);
        Clock.Advance(TimeSpan.FromSeconds(3));
        actor.Tell("activity", TestActor);
        ExpectMsg("seen");
        Clock.Advance(TimeSpan.FromSeconds(3)); // 6 s since start, 3 s since the message
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Clock.Advance(TimeSpan.FromSeconds(2));
        ExpectMsg("idle");
    }

    [Fact]
    public void ReceiveTimeout_repeats_while_idle_and_stops_when_switched_off()
    {
        var actor = Sys.ActorOf(Props.Create(() => new IdleActor(TestActor, TimeSpan.FromSeconds(1))));
        AwaitStarted(actor);
        Clock.Advance(TimeSpan.FromSeconds(1));
        ExpectMsg("idle");
        Clock.Advance(TimeSpan.FromSeconds(1));
        ExpectMsg("idle");
        actor.Tell("off", TestActor);
        ExpectMsg("seen");
        Clock.Advance(TimeSpan.FromSeconds(10));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void ScheduleTellOnce_delivers_at_the_due_time_only()
    {
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(2), TestActor, "due", null);
        Clock.Advance(TimeSpan.FromMilliseconds(1_999));
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        ExpectMsg("due");
        Clock.Advance(TimeSpan.FromSeconds(10));
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void ScheduleTellRepeatedly_delivers_once_per_interval_until_cancelled()
    {
        var schedule = Sys.Scheduler.ScheduleTellRepeatedly(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TestActor, "tick", null);
        Clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(["tick", "tick", "tick"], ReceiveN(3));
        schedule.Cancel();
        Assert.True(schedule.IsCancellationRequested);
        Clock.Advance(TimeSpan.FromSeconds(3));
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void A_cancelled_schedule_never_fires()
    {
        var schedule = Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(1), TestActor, "never", null);
        schedule.Cancel();
        Clock.Advance(TimeSpan.FromSeconds(2));
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task Ask_returns_the_reply()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>());
        Assert.Equal("hello", await echo.Ask<string>("hello", TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Ask_fails_with_the_cause_of_a_Status_Failure_reply()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => echo.Ask<string>(new Status.Failure(new InvalidOperationException("nope")), TimeSpan.FromSeconds(5)));
        Assert.Equal("nope", error.Message);
    }

    [Fact]
    public async Task Ask_times_out_on_the_virtual_clock_with_a_clear_message()
    {
        var silent = Sys.ActorOf(Props.Create<SilentActor>(), "silent");
        var ask = silent.Ask<int>("question", TimeSpan.FromSeconds(2));
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(ask.IsCompleted);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var error = await Assert.ThrowsAsync<AskTimeoutException>(() => ask);
        Assert.Contains("aggregator://test/user/silent", error.Message);
        Assert.Contains("Int32", error.Message);
        Assert.Contains("2000 ms", error.Message);
    }

    [Fact]
    public async Task Ask_with_a_reply_of_the_wrong_type_says_what_it_got()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>());
        var error = await Assert.ThrowsAsync<InvalidCastException>(() => echo.Ask<int>("text", TimeSpan.FromSeconds(5)));
        Assert.Contains("String", error.Message);
    }

    private sealed class IdleActor : ReceiveActor
    {
        public IdleActor(IActorRef report, TimeSpan timeout)
        {
            Context.SetReceiveTimeout(timeout);
            Receive<ReceiveTimeout>(_ => report.Tell("idle"));
            Receive<string>(s =>
            {
                if (s == "off") Context.SetReceiveTimeout(null);
                Sender.Tell("seen");
            });
        }
    }

    private sealed class SilentActor : ReceiveActor
    {
        public SilentActor() => ReceiveAny(_ => { });
    }
}
