using Aggregator.Actors.Kernel;
using Aggregator.Actors.Kernel.Supervision;
using Aggregator.Testing;
using Hook = Aggregator.Actors.Tests.Kernel.LifecycleActor.Hook;

namespace Aggregator.Actors.Tests.Kernel;

public sealed class SupervisionTests : TestKit
{
    private IActorRef ChildUnder(SupervisorStrategy strategy, string name = "child")
    {
        var parent = Sys.ActorOf(Props.Create(() => new SupervisorActor(strategy)));
        parent.Tell((Props.Create(() => new LifecycleActor(TestActor)), name), TestActor);
        var started = ReceiveN(2);
        Assert.Contains(new Hook("PreStart", name), started);
        return started.OfType<IActorRef>().Single();
    }

    [Fact]
    public void Resume_keeps_the_instance_and_its_state()
    {
        var child = ChildUnder(new OneForOneStrategy(_ => Directive.Resume));
        child.Tell(new LifecycleActor.Increment());
        child.Tell(new LifecycleActor.Fail("boom"));
        child.Tell(new LifecycleActor.Increment());
        child.Tell(new LifecycleActor.GetCount(), TestActor);
        ExpectMsg(new LifecycleActor.Count(2));
    }

    [Fact]
    public void Restart_replaces_the_instance_runs_the_hooks_and_keeps_the_mailbox()
    {
        var child = ChildUnder(new OneForOneStrategy(_ => Directive.Restart));
        child.Tell(new LifecycleActor.Increment());
        child.Tell(new LifecycleActor.Fail("boom"));
        child.Tell(new LifecycleActor.Increment());
        child.Tell(new LifecycleActor.GetCount(), TestActor);

        ExpectMsg(new Hook("PreRestart:boom", "child"));
        ExpectMsg(new Hook("PostStop", "child"));     // default PreRestart calls PostStop
        ExpectMsg(new Hook("PostRestart", "child"));
        ExpectMsg(new Hook("PreStart", "child"));     // default PostRestart calls PreStart
        ExpectMsg(new LifecycleActor.Count(1));       // state reset; the message after the failure was kept
        Assert.Equal(1, Sys.Instrumentation.Snapshot(child)!.Restarts);
    }

    [Fact]
    public void Stop_directive_stops_the_child()
    {
        var child = ChildUnder(new OneForOneStrategy(_ => Directive.Stop));
        Watch(child);
        child.Tell(new LifecycleActor.Fail("fatal"));
        ExpectMsg(new Hook("PostStop", "child"));
        ExpectTerminated(child);
    }

    [Fact]
    public void Escalate_fails_the_parent_whose_supervisor_then_decides()
    {
        // grandparent (restarts) → middle (escalates) → child (fails)
        var grandparent = Sys.ActorOf(Props.Create(() => new SupervisorActor(new OneForOneStrategy(_ => Directive.Stop))));
        grandparent.Tell(Props.Create(() => new SupervisorActor(new OneForOneStrategy(_ => Directive.Escalate))), TestActor);
        var middle = ExpectMsg<IActorRef>();
        middle.Tell((Props.Create(() => new LifecycleActor(TestActor)), "leaf"), TestActor);
        var started = ReceiveN(2);
        var leaf = started.OfType<IActorRef>().Single();

        Watch(middle);
        leaf.Tell(new LifecycleActor.Fail("up the chain"));

        ExpectMsg(new Hook("PostStop", "leaf")); // middle stopped by grandparent: its children stop first
        ExpectTerminated(middle);
    }

    [Fact]
    public void Restarts_beyond_the_limit_in_the_window_stop_the_child()
    {
        var child = ChildUnder(new OneForOneStrategy(2, TimeSpan.FromMinutes(1), _ => Directive.Restart));
        Watch(child);
        for (var i = 0; i < 2; i++)
        {
            child.Tell(new LifecycleActor.Fail("again"), TestActor);
            FishForMessage(m => m is Hook { Name: "PreStart" });
        }
        child.Tell(new LifecycleActor.Fail("third strike"));
        FishForMessage(m => m is Terminated t && t.ActorRef.Equals(child));
    }

    [Fact]
    public void The_restart_window_slides_with_virtual_time()
    {
        var child = ChildUnder(new OneForOneStrategy(1, TimeSpan.FromSeconds(10), _ => Directive.Restart));
        Watch(child);
        child.Tell(new LifecycleActor.Fail("first"));
        FishForMessage(m => m is Hook { Name: "PreStart" });

        Clock.Advance(TimeSpan.FromSeconds(11)); // the window has passed: the count starts again
        child.Tell(new LifecycleActor.Fail("second, in a new window"));
        FishForMessage(m => m is Hook { Name: "PreStart" });

        child.Tell(new LifecycleActor.Fail("third, same window as the second"));
        FishForMessage(m => m is Terminated);
    }

    [Fact]
    public void The_default_strategy_restarts_on_failure_and_stops_on_a_failure_to_start()
    {
        Assert.Equal(Directive.Restart, SupervisorStrategy.Default.Decide(new InvalidOperationException()));
        Assert.Equal(Directive.Stop, SupervisorStrategy.Default.Decide(new ActorInitializationException(Sys.DeadLetters.Path, new Exception())));
        Assert.Equal(10, SupervisorStrategy.Default.MaxNrOfRetries);

        var broken = Sys.ActorOf(Props.Create(() => new FailingConstructor()));
        Watch(broken);
        ExpectTerminated(broken);
    }

    [Fact]
    public void Kill_fails_the_actor_and_the_default_strategy_stops_it()
    {
        var actor = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor)), "victim");
        ExpectMsg(new Hook("PreStart", "victim"));
        Watch(actor);
        actor.Tell(Kill.Instance);
        ExpectMsg(new Hook("PostStop", "victim"));
        ExpectTerminated(actor);
    }

    private sealed class FailingConstructor : ReceiveActor
    {
        public FailingConstructor() => throw new InvalidOperationException("cannot start");
    }
}
