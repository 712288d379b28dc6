using Aggregator.Actors.Kernel;
using Xunit.Sdk;

namespace Aggregator.Testing.Tests;

public sealed class ExpectTerminatedTests : TestKit
{
    [Fact]
    public void Arrives_after_Watch_and_Stop()
    {
        var actor = Sys.ActorOf(Props.Create<EchoActor>(), "doomed");
        Assert.Same(actor, Watch(actor));

        Sys.Stop(actor);

        var terminated = ExpectTerminated(actor);
        Assert.Equal(actor, terminated.ActorRef);
        Assert.True(terminated.ExistenceConfirmed);
        Assert.Equal(actor, LastSender);
    }

    [Fact]
    public void Arrives_after_a_PoisonPill()
    {
        var actor = Sys.ActorOf(Props.Create<EchoActor>(), "pilled");
        Watch(actor);
        actor.Tell("before", TestActor);
        actor.Tell(PoisonPill.Instance, null);

        ExpectMsg("before");
        ExpectTerminated(actor);
    }

    [Fact]
    public void Arrives_for_an_actor_that_was_already_dead_when_watched()
    {
        var actor = Sys.ActorOf(Props.Create<EchoActor>(), "already-dead");
        var first = CreateTestProbe();
        first.Watch(actor);
        Sys.Stop(actor);
        first.ExpectTerminated(actor); // now it is certainly dead

        Watch(actor);

        var terminated = ExpectTerminated(actor);
        Assert.False(terminated.ExistenceConfirmed);
    }

    [Fact]
    public void Fails_when_the_actor_does_not_stop()
    {
        var actor = Sys.ActorOf(Props.Create<EchoActor>(), "alive");
        Watch(actor);

        var error = Assert.Throws<XunitException>(() => ExpectTerminated(actor, TimeSpan.FromMilliseconds(100)));

        Assert.Contains("Expected a Terminated (for aggregator://test/user/alive)", error.Message);
        Assert.Contains("no message arrived", error.Message);
    }

    [Fact]
    public void Fails_when_another_actor_terminated()
    {
        var kept = Sys.ActorOf(Props.Create<EchoActor>(), "kept");
        var stopped = Sys.ActorOf(Props.Create<EchoActor>(), "stopped");
        Watch(kept);
        Watch(stopped);
        Sys.Stop(stopped);

        var error = Assert.Throws<XunitException>(() => ExpectTerminated(kept, TimeSpan.FromSeconds(1)));

        Assert.Contains("for aggregator://test/user/kept", error.Message);
        Assert.Contains("user/stopped", error.Message);
        Assert.Contains("does not match", error.Message);
    }

    [Fact]
    public void Only_the_watching_probe_is_told()
    {
        var actor = Sys.ActorOf(Props.Create<EchoActor>(), "watched-by-probe");
        var probe = CreateTestProbe();
        probe.Watch(actor);

        Sys.Stop(actor);

        probe.ExpectTerminated(actor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}
