using System.Diagnostics;
using Aggregator.Actors.Kernel;
using Xunit.Sdk;

namespace Aggregator.Testing.Tests;

public sealed class ExpectMsgTests : TestKit
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void Returns_the_message_an_actor_sent()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        echo.Tell(new Ping(7), TestActor);

        var reply = ExpectMsg<Ping>();

        Assert.Equal(new Ping(7), reply);
    }

    [Fact]
    public void Takes_messages_in_arrival_order()
    {
        TestActor.Tell("one", null);
        TestActor.Tell("two", null);

        Assert.Equal("one", ExpectMsg<string>());
        Assert.Equal("two", ExpectMsg<string>());
    }

    [Fact]
    public void Accepts_a_subtype_of_the_expected_type()
    {
        TestActor.Tell("text", null);
        Assert.Equal("text", ExpectMsg<object>());
    }

    [Fact]
    public async Task Waits_for_a_message_that_arrives_later()
    {
        // The message is sent by an actor on another thread, triggered through virtual time after the wait began.
        var waiting = Task.Run(() => ExpectMsg<string>(TimeSpan.FromSeconds(5)));
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(1), TestActor, "late", null);
        Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("late", await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Fails_naming_the_expected_and_the_received_type_when_another_type_arrives()
    {
        TestActor.Tell(42, null);

        var error = Assert.Throws<XunitException>(() => ExpectMsg<string>(Short));

        Assert.Contains("Expected a String", error.Message);
        Assert.Contains("received Int32 42", error.Message);
        Assert.Contains("testActor", error.Message);
    }

    [Fact]
    public void Fails_saying_no_message_arrived_on_timeout()
    {
        var watch = Stopwatch.StartNew();

        var error = Assert.Throws<XunitException>(() => ExpectMsg<string>(Short));

        Assert.Contains("no message arrived", error.Message);
        Assert.Contains("Expected a String", error.Message);
        Assert.Contains("100 ms", error.Message);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(80), $"gave up after {watch.Elapsed}, before the timeout");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"waited {watch.Elapsed}, far beyond the 100 ms timeout");
    }

    [Fact]
    public void Predicate_overload_returns_a_matching_message()
    {
        TestActor.Tell(new Ping(3), null);
        Assert.Equal(new Ping(3), ExpectMsg<Ping>(p => p.N == 3));
    }

    [Fact]
    public void Predicate_overload_fails_when_the_message_does_not_match()
    {
        TestActor.Tell(new Ping(4), null);

        var error = Assert.Throws<XunitException>(() => ExpectMsg<Ping>(p => p.N == 3, Short));

        Assert.Contains("matching the predicate", error.Message);
        Assert.Contains("Ping { N = 4 }", error.Message);
        Assert.Contains("does not match", error.Message);
    }

    [Fact]
    public void Predicate_overload_fails_on_the_wrong_type()
    {
        TestActor.Tell("not a ping", null);
        var error = Assert.Throws<XunitException>(() => ExpectMsg<Ping>(_ => true, Short));
        Assert.Contains("Expected a Ping", error.Message);
        Assert.Contains("received String not a ping", error.Message);
    }

    [Fact]
    public void Equality_overload_returns_an_equal_message()
    {
        TestActor.Tell(new Ping(5), null);
        var received = ExpectMsg(new Ping(5));
        Assert.Equal(5, received.N);
    }

    [Fact]
    public void Equality_overload_fails_on_an_unequal_message_naming_both()
    {
        TestActor.Tell(new Ping(6), null);

        var error = Assert.Throws<XunitException>(() => ExpectMsg(new Ping(5), Short));

        Assert.Contains("equal to Ping { N = 5 }", error.Message);
        Assert.Contains("received Ping Ping { N = 6 }", error.Message);
    }

    [Fact]
    public void Equality_overload_times_out_like_the_others()
    {
        var error = Assert.Throws<XunitException>(() => ExpectMsg("never", Short));
        Assert.Contains("no message arrived", error.Message);
    }

    [Fact]
    public void LastSender_is_the_sender_of_the_message_just_taken()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        var other = CreateTestProbe("other");

        echo.Tell("via echo", TestActor);
        ExpectMsg("via echo");
        Assert.Equal(echo, LastSender);

        TestActor.Tell("via probe", other.Ref);
        ExpectMsg("via probe");
        Assert.Equal(other.Ref, LastSender);

        TestActor.Tell("from nobody", ActorRefs.NoSender);
        ExpectMsg("from nobody");
        Assert.Null(LastSender);
    }

    [Fact]
    public void The_failure_names_the_sender()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        echo.Tell(1, TestActor);

        var error = Assert.Throws<XunitException>(() => ExpectMsg<string>());

        Assert.Contains("from aggregator://test/user/echo", error.Message);
    }
}
