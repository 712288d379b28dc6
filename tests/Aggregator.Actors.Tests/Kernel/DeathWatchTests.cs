using Aggregator.Actors.Kernel;
using Aggregator.Testing;

namespace Aggregator.Actors.Tests.Kernel;

public sealed class DeathWatchTests : TestKit
{
    [Fact]
    public void A_watcher_gets_Terminated_when_the_watched_actor_stops()
    {
        var watched = Sys.ActorOf(Props.Create<EchoActor>());
        var watcher = Sys.ActorOf(Props.Create(() => new WatchingActor(watched, TestActor)));
        AwaitStarted(watcher);
        Sys.Stop(watched);
        var terminated = ExpectMsg<Terminated>();
        Assert.Equal(watched, terminated.ActorRef);
        Assert.True(terminated.ExistenceConfirmed);
    }

    [Fact]
    public void Watching_an_actor_that_is_already_dead_delivers_Terminated_at_once()
    {
        var dead = Sys.ActorOf(Props.Create<EchoActor>());
        Watch(dead);
        Sys.Stop(dead);
        ExpectTerminated(dead);

        var watcher = Sys.ActorOf(Props.Create(() => new WatchingActor(dead, TestActor)));
        var terminated = ExpectMsg<Terminated>();
        Assert.Equal(dead, terminated.ActorRef);
        Assert.False(terminated.ExistenceConfirmed);
        Assert.NotNull(watcher);
    }

    [Fact]
    public void Terminated_arrives_after_every_message_the_watched_child_sent_before_stopping()
    {
        // Many rounds, because a wrong order would only show when the parent's turn starts between the child's
        // last Tell and its stop.
        var parent = Sys.ActorOf(Props.Create(() => new ChildOrderParent(TestActor)));
        for (var round = 0; round < 200; round++) parent.Tell(round, TestActor);
        var arrived = ReceiveN(400).Cast<string>().ToList();
        for (var round = 0; round < 200; round++)
        {
            var last = arrived.IndexOf($"last-{round}");
            var terminated = arrived.IndexOf($"terminated-{round}");
            Assert.True(last >= 0 && terminated > last, $"round {round}: last at {last}, Terminated at {terminated}");
        }
    }

    private sealed class ChildOrderParent : ReceiveActor
    {
        private readonly Dictionary<IActorRef, int> rounds = [];

        public ChildOrderParent(IActorRef probe)
        {
            Receive<int>(round =>
            {
                var child = Context.ActorOf(Props.Create<SayLastAndStop>());
                Context.Watch(child);
                rounds[child] = round;
                child.Tell(round);
            });
            Receive<string>(text => probe.Tell(text));
            Receive<Terminated>(t => probe.Tell($"terminated-{rounds[t.ActorRef]}"));
        }
    }

    private sealed class SayLastAndStop : ReceiveActor
    {
        public SayLastAndStop() => Receive<int>(round =>
        {
            Context.Parent.Tell($"last-{round}");
            Context.Stop(Self);
        });
    }

    [Fact]
    public void After_Unwatch_no_Terminated_arrives()
    {
        var watched = Sys.ActorOf(Props.Create<EchoActor>());
        var watcher = Sys.ActorOf(Props.Create(() => new WatchingActor(watched, TestActor)));
        watcher.Tell("unwatch", TestActor);
        ExpectMsg("unwatched");
        Sys.Stop(watched);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void An_unhandled_Terminated_is_a_death_pact_that_stops_the_watcher()
    {
        var watched = Sys.ActorOf(Props.Create<EchoActor>());
        var watcher = Sys.ActorOf(Props.Create(() => new IgnoringWatcher(watched)));
        AwaitStarted(watcher);
        Watch(watcher);
        Sys.Stop(watched);
        ExpectTerminated(watcher);
    }

    [Fact]
    public void Every_watcher_is_told_once()
    {
        var watched = Sys.ActorOf(Props.Create<EchoActor>());
        var probes = Enumerable.Range(0, 5).Select(_ => CreateTestProbe()).ToArray();
        foreach (var probe in probes) probe.Watch(watched);
        Sys.Stop(watched);
        foreach (var probe in probes)
        {
            probe.ExpectTerminated(watched);
            probe.ExpectNoMsg(TimeSpan.FromMilliseconds(20));
        }
    }

    private sealed class WatchingActor : ReceiveActor
    {
        public WatchingActor(IActorRef subject, IActorRef report)
        {
            Context.Watch(subject);
            Receive<Terminated>(t => report.Tell(t));
            Receive<string>(s => s == "unwatch", _ =>
            {
                Context.Unwatch(subject);
                Sender.Tell("unwatched");
            });
        }
    }

    private sealed class IgnoringWatcher : ReceiveActor
    {
        public IgnoringWatcher(IActorRef subject) => Context.Watch(subject);
    }
}
