using Aggregator.Actors.Kernel;

namespace Aggregator.Testing.Tests;

public sealed class TestProbeTests : TestKit
{
    [Fact]
    public void Send_and_the_echo_come_back_to_the_probe()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        var probe = CreateTestProbe("client");

        probe.Send(echo, new Ping(1));

        Assert.Equal(new Ping(1), probe.ExpectMsg<Ping>());
        Assert.Equal(echo, probe.LastSender);
        ExpectNoMsg(TimeSpan.FromMilliseconds(50)); // not at the TestActor
    }

    [Fact]
    public void Reply_answers_the_last_sender_with_the_probe_as_sender()
    {
        var respondent = CreateTestProbe("respondent");
        var questioner = Sys.ActorOf(Props.Create(() => new QuestionerActor(respondent.Ref, TestActor)), "questioner");

        questioner.Tell(new QuestionerActor.Start(), null);
        Assert.Equal("how much?", respondent.ExpectMsg<QuestionerActor.Question>().Text);
        Assert.Equal(questioner, respondent.LastSender);
        respondent.Reply(new QuestionerActor.Answer("42"));

        Assert.Equal(new QuestionerActor.Answer("42"), ExpectMsg<QuestionerActor.Answer>());
        Assert.Equal(questioner, LastSender);
    }

    [Fact]
    public void Round_trip_between_two_probes_through_an_echo()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        var probe = CreateTestProbe();

        probe.Send(echo, "ping");
        probe.ExpectMsg("ping");
        probe.Reply("again"); // back to the echo, which answers the probe once more
        probe.ExpectMsg("again");
        Assert.Equal(echo, probe.LastSender);
    }

    [Fact]
    public void Reply_before_any_message_throws()
    {
        var probe = CreateTestProbe();
        var error = Assert.Throws<InvalidOperationException>(() => probe.Reply("hello?"));
        Assert.Contains("nobody to reply to", error.Message);
    }

    [Fact]
    public void Probes_are_independent()
    {
        var one = CreateTestProbe("one");
        var two = CreateTestProbe("two");

        one.Ref.Tell("for one", null);
        two.Ref.Tell("for two", null);

        Assert.Equal("for one", one.ExpectMsg<string>());
        Assert.Equal("for two", two.ExpectMsg<string>());
        one.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        two.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void A_probe_receives_what_is_told_to_its_Ref()
    {
        var probe = CreateTestProbe();
        probe.Ref.Tell("direct", null);
        Assert.Equal("direct", probe.ExpectMsg<string>());
    }

    [Fact]
    public void Probes_have_distinct_named_paths()
    {
        var named = CreateTestProbe("named");
        var a = CreateTestProbe();
        var b = CreateTestProbe();

        Assert.Equal("named", named.Path.Name);
        Assert.Equal("aggregator://test/probes/named", named.Path.ToString());
        Assert.NotEqual(a.Path, b.Path);
        Assert.NotEqual(a.Ref, b.Ref);
        Assert.Equal("testActor", TestActor.Path.Name);
    }

    [Fact]
    public void The_probe_Ref_is_its_one_identity_as_a_sender()
    {
        var probe = CreateTestProbe();
        TestActor.Tell("from the probe", probe.Ref);
        ExpectMsg<string>();
        Assert.Equal(probe.Ref, LastSender);
        Assert.True(LastSender!.Equals(probe.Ref));
    }

    [Fact]
    public void A_probe_Ref_can_be_watched_and_stays_alive()
    {
        var probe = CreateTestProbe();
        Assert.Same(probe.Ref, Watch(probe.Ref));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_probe_uses_the_kits_default_timeout()
    {
        Assert.Equal(DefaultTimeout, CreateTestProbe().DefaultTimeout);
    }

    [Fact]
    public void A_probe_waits_for_an_Identify_answer_in_AwaitStarted()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        var probe = CreateTestProbe();

        probe.AwaitStarted(echo);

        Assert.Equal(echo, probe.LastSender);
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void AwaitStarted_fails_for_a_stopped_actor()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        Watch(echo);
        Sys.Stop(echo);
        ExpectTerminated(echo);

        Assert.Throws<Xunit.Sdk.XunitException>(() => AwaitStarted(echo, TimeSpan.FromMilliseconds(100)));
    }
}
