using Aggregator.Actors.Kernel;
using Aggregator.Testing;
using Hook = Aggregator.Actors.Tests.Kernel.LifecycleActor.Hook;

namespace Aggregator.Actors.Tests.Kernel;

public sealed class LifecycleTests : TestKit
{
    [Fact]
    public void PreStart_runs_before_the_first_message()
    {
        var actor = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor)), "a");
        actor.Tell(new LifecycleActor.GetCount(), TestActor);
        ExpectMsg(new Hook("PreStart", "a"));
        ExpectMsg(new LifecycleActor.Count(0));
    }

    [Fact]
    public void Stopping_a_parent_stops_its_children_first()
    {
        var parent = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor)), "parent");
        ExpectMsg(new Hook("PreStart", "parent"));
        parent.Tell(Props.Create(() => new LifecycleActor(TestActor)), TestActor);
        var started = ReceiveN(2); // the child's PreStart and the parent's reply race
        Assert.Contains(new Hook("PreStart", "child"), started);
        var child = started.OfType<IActorRef>().Single();

        Watch(parent);
        Sys.Stop(parent);

        ExpectMsg(new Hook("PostStop", "child"));
        ExpectMsg(new Hook("PostStop", "parent"));
        ExpectTerminated(parent);
        Assert.True(((Aggregator.Actors.Kernel.Dispatch.InternalActorRef)child).IsTerminated);
    }

    [Fact]
    public void PoisonPill_stops_after_the_messages_queued_before_it()
    {
        var actor = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor)), "a");
        ExpectMsg(new Hook("PreStart", "a"));
        Watch(actor);
        actor.Tell(new LifecycleActor.Increment());
        actor.Tell(new LifecycleActor.Increment());
        actor.Tell(new LifecycleActor.GetCount(), TestActor);
        actor.Tell(PoisonPill.Instance);
        actor.Tell(new LifecycleActor.GetCount(), TestActor);

        ExpectMsg(new LifecycleActor.Count(2));
        ExpectMsg(new Hook("PostStop", "a"));
        ExpectTerminated(actor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // the GetCount after the pill became a dead letter
    }

    [Fact]
    public void Names_must_be_unique_among_siblings()
    {
        Sys.ActorOf(Props.Create<EchoActor>(), "same");
        var error = Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create<EchoActor>(), "same"));
        Assert.Contains("not unique", error.Message);
    }

    [Fact]
    public void A_name_is_free_again_once_its_actor_has_stopped()
    {
        var first = Sys.ActorOf(Props.Create<EchoActor>(), "reused");
        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);

        AwaitAssert(() => Sys.ActorOf(Props.Create<EchoActor>(), "reused"));
    }

    [Fact]
    public void Paths_and_equality_follow_the_hierarchy()
    {
        var a = Sys.ActorOf(Props.Create<EchoActor>(), "a");
        Assert.Equal("aggregator://test/user/a", a.Path.ToString());
        Assert.Equal(["user", "a"], a.Path.Elements);
        a.Tell("ping", TestActor);
        ExpectMsg("ping");
        Assert.Equal(a, LastSender);
        Assert.NotEqual(a, Sys.ActorOf(Props.Create<EchoActor>(), "b"));
    }

    [Fact]
    public void Creating_an_actor_with_new_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new EchoActor());
        Assert.Contains("ActorOf", error.Message);
    }

    [Fact]
    public void Become_and_unbecome_switch_behaviour()
    {
        var actor = Sys.ActorOf(Props.Create<MoodActor>());
        actor.Tell("how", TestActor);
        ExpectMsg("calm");
        actor.Tell("anger", TestActor);
        actor.Tell("how", TestActor);
        ExpectMsg("angry");
        actor.Tell("calm down", TestActor);
        actor.Tell("how", TestActor);
        ExpectMsg("calm");
    }

    private sealed class MoodActor : ReceiveActor
    {
        public MoodActor()
        {
            Receive<string>(s => s == "how", _ => Sender.Tell("calm"));
            Receive<string>(s => s == "anger", _ => BecomeStacked(() =>
            {
                Receive<string>(s => s == "how", _ => Sender.Tell("angry"));
                Receive<string>(s => s == "calm down", _ => Unbecome());
            }));
        }
    }
}
