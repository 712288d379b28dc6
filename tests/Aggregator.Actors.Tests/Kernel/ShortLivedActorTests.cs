using Aggregator.Actors.Kernel;
using Aggregator.Testing;

namespace Aggregator.Actors.Tests.Kernel;

/// <summary>
/// The paths made cheap for short-lived actors: children kept in a list without a dictionary, a parent's watch of its
/// own children without Watch messages, live actors counted without a registry, histograms allocated lazily.
/// </summary>
public sealed class ShortLivedActorTests : TestKit
{
    [Fact]
    public void The_live_count_and_the_snapshot_agree_after_concurrent_create_and_stop()
    {
        var before = Sys.Instrumentation.LiveActors;
        const int threads = 4, perThread = 500;
        var done = new CountdownEvent(2 * threads * perThread); // a tree from each thread and one from the spawner per iteration
        var parent = Sys.ActorOf(Props.Create(() => new Spawner(done)));
        Parallel.For(0, threads, _ =>
        {
            for (var i = 0; i < perThread; i++)
            {
                var tree = Sys.ActorOf(Props.Create(() => new TreeParent(done)));
                tree.Tell("go");
                parent.Tell("spawn");
            }
        });
        Assert.True(done.Wait(TimeSpan.FromSeconds(20)), $"{done.CurrentCount} trees not finished");

        AwaitCondition(() => Sys.Instrumentation.LiveActors == before + 1, TimeSpan.FromSeconds(10),
            $"live {Sys.Instrumentation.LiveActors}, before {before}, listed {string.Join(", ", Sys.Instrumentation.Snapshot().Actors.GroupBy(a => a.ActorType).Select(g => $"{g.Key} x{g.Count()}"))}");
        var snapshot = Sys.Instrumentation.Snapshot();
        Assert.Equal(before + 1, snapshot.LiveActors);
        Assert.Equal(snapshot.LiveActors, snapshot.Actors.Count);
        Assert.DoesNotContain(snapshot.Actors, a => a.ActorType is nameof(TreeParent) or nameof(Leaf));
        var leaves = snapshot.Types.Single(t => t.ActorType == nameof(Leaf));
        Assert.Equal(0, leaves.LiveActors);
        Assert.Equal(2 * threads * perThread * 4 * 3, leaves.MessagesProcessed);
        Assert.Equal(0, Sys.DeadLetterOffice.Count);
    }

    [Fact]
    public void A_short_lived_actor_sampled_once_still_reports_its_histograms_in_its_type_totals()
    {
        var probe = CreateTestProbe();
        var leafParent = Sys.ActorOf(Props.Create(() => new TreeParent(null, probe.Ref)));
        leafParent.Tell("go");
        probe.ExpectMsg("finished");
        AwaitAssert(() =>
        {
            var leaves = Sys.Instrumentation.Snapshot().Types.Single(t => t.ActorType == nameof(Leaf));
            Assert.Equal(4 * 3, leaves.MessagesProcessed);
            Assert.Equal(4, leaves.Processing.Total); // each leaf's first message is sampled, and its sample is kept inline
            Assert.Equal(4, leaves.MailboxWait.Total);
        });
    }

    [Fact]
    public void Unwatching_a_child_before_it_stops_delivers_no_Terminated()
    {
        var parent = Sys.ActorOf(Props.Create(() => new UnwatchingParent(TestActor)));
        parent.Tell("go");
        ExpectMsg("child stopped");
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Watching_a_child_that_already_stopped_delivers_Terminated()
    {
        var parent = Sys.ActorOf(Props.Create(() => new LateWatcher(TestActor)));
        parent.Tell("go");
        var terminated = ExpectMsg<Terminated>();
        Assert.Equal("$b", terminated.ActorRef.Path.Name);
    }

    [Fact]
    public void Generated_and_explicit_names_stay_unique_and_findable()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Naming(TestActor)));
        parent.Tell("go");
        ExpectMsg("$b,$d,taken,found:$b,found:named,gone");
    }

    /// <summary>Creates a tree per "spawn" as its own child, so trees are created under a parent other than the guardian too.</summary>
    private sealed class Spawner : ReceiveActor
    {
        public Spawner(CountdownEvent done) => Receive<string>(_ => Context.ActorOf(Props.Create(() => new TreeParent(done))).Tell("go"));
    }

    /// <summary>Four watched leaves, three messages each; stops when all have replied and their Terminated arrived.</summary>
    private sealed class TreeParent : ReceiveActor
    {
        private int replies, terminated;

        public TreeParent(CountdownEvent? done, IActorRef? report = null)
        {
            Receive<string>(s => s == "go", _ =>
            {
                for (var i = 0; i < 4; i++)
                {
                    var leaf = Context.Watch(Context.ActorOf(Props.Create<Leaf>()));
                    for (var m = 0; m < 3; m++) leaf.Tell(m);
                }
            });
            Receive<string>(s => s == "done", _ => { replies++; Finish(); });
            Receive<Terminated>(_ => { terminated++; Finish(); });

            void Finish()
            {
                if (replies < 4 || terminated < 4) return;
                done?.Signal();
                report?.Tell("finished");
                Context.Stop(Self);
            }
        }
    }

    private sealed class Leaf : ReceiveActor
    {
        private int received;

        public Leaf() => Receive<int>(_ =>
        {
            if (++received < 3) return;
            Context.Parent.Tell("done");
            Context.Stop(Self);
        });
    }

    private sealed class UnwatchingParent : ReceiveActor
    {
        public UnwatchingParent(IActorRef report)
        {
            Receive<string>(s => s == "go", _ =>
            {
                var child = Context.Watch(Context.ActorOf(Props.Create<Leaf>()));
                Context.Unwatch(child);
                for (var m = 0; m < 3; m++) child.Tell(m);
            });
            Receive<string>(s => s == "done", _ => report.Tell("child stopped"));
            Receive<Terminated>(t => report.Tell(t));
        }
    }

    /// <summary>Lets its child stop (and the stop be processed) before watching it.</summary>
    private sealed class LateWatcher : ReceiveActor
    {
        private IActorRef? child;

        public LateWatcher(IActorRef report)
        {
            Receive<string>(s => s == "go", _ =>
            {
                child = Context.ActorOf(Props.Create<Leaf>());
                for (var m = 0; m < 3; m++) child.Tell(m);
            });
            Receive<string>(s => s == "done", _ => Self.Tell("watch"));
            Receive<string>(s => s == "watch", _ =>
            {
                if (Context.Children.Any()) Self.Tell("watch"); // not yet unlinked: try again after the notification
                else Context.Watch(child!);
            });
            Receive<Terminated>(t => report.Tell(t));
        }
    }

    private sealed class Naming : ReceiveActor
    {
        public Naming(IActorRef report) => Receive<string>(_ =>
        {
            var first = Context.ActorOf(Props.Create<EchoActor>()); // generated names count from $b
            Context.ActorOf(Props.Create<EchoActor>(), "$c"); // an explicit name in the generated range
            var third = Context.ActorOf(Props.Create<EchoActor>()); // $c is taken: the generator skips it
            var named = Context.ActorOf(Props.Create<EchoActor>(), "named");
            string taken;
            try
            {
                Context.ActorOf(Props.Create<EchoActor>(), "$b");
                taken = "not taken";
            }
            catch (InvalidActorNameException)
            {
                taken = "taken";
            }
            Context.Stop(named);
            var gone = Context.Child("missing") is null ? "gone" : "present";
            report.Tell($"{first.Path.Name},{third.Path.Name},{taken},found:{Context.Child("$b")?.Path.Name},found:{Context.Child("named")?.Path.Name},{gone}");
        });
    }
}
