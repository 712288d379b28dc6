using Aggregator.Actors.Kernel;
using Aggregator.Benchmarks.Throughput;

namespace Aggregator.Benchmarks.Lifecycle;

/// <summary>
/// One unit of work as the entries feature will build it: a parent creates four children, watches them and sends each
/// three messages; every child replies once and stops itself; when all four have replied and their Terminated have
/// arrived, the parent tells the sink and stops itself.
/// </summary>
internal sealed class LifecycleParent : ReceiveActor
{
    private static readonly Props ChildProps = Props.Create<LifecycleChild>();
    private readonly IActorRef sink;
    private readonly TreeCompleted completed;
    private int replies;
    private int terminated;

    public LifecycleParent(IActorRef sink, int producer)
    {
        this.sink = sink;
        completed = TreeCompleted.For(producer);
        Receive<Terminated>(_ =>
        {
            terminated++;
            FinishWhenDone();
        });
        ReceiveAny(message =>
        {
            if (!ReferenceEquals(message, LifecycleMessages.Done)) throw new InvalidOperationException($"unexpected {message}");
            replies++;
            FinishWhenDone();
        });
    }

    protected override void PreStart()
    {
        for (var i = 0; i < LifecycleMessages.ChildrenPerParent; i++)
        {
            var child = Context.ActorOf(ChildProps);
            Context.Watch(child);
            for (var m = 0; m < LifecycleMessages.MessagesPerChild; m++) child.Tell(LifecycleMessages.Work, Self);
        }
    }

    private void FinishWhenDone()
    {
        if (replies < LifecycleMessages.ChildrenPerParent || terminated < LifecycleMessages.ChildrenPerParent) return;
        sink.Tell(completed, Self);
        Context.Stop(Self);
    }
}

/// <summary>A slot: takes three units of work, replies to its parent once and stops itself.</summary>
internal sealed class LifecycleChild : ReceiveActor
{
    private int received;

    public LifecycleChild() => ReceiveAny(_ =>
    {
        if (++received < LifecycleMessages.MessagesPerChild) return;
        Context.Parent.Tell(LifecycleMessages.Done, Self);
        Context.Stop(Self);
    });
}

/// <summary>Counts finished trees, returns each producer's in-flight permit, and ends the round at the expected count.</summary>
internal sealed class LifecycleSink : ReceiveActor
{
    private RoundState? round;
    private long count;

    public LifecycleSink()
    {
        Receive<RoundState>(state =>
        {
            round = state;
            count = 0;
            state.Armed.Set();
        });
        Receive<TreeCompleted>(done =>
        {
            var state = round!;
            state.Permits[done.Producer].Release();
            if (++count == state.Expected) state.Latch.Signal(count);
        });
    }

    /// <summary>What one round expects: how many trees, the latch to signal, and the producers' in-flight permits.</summary>
    public sealed record RoundState(long Expected, RoundLatch Latch, SemaphoreSlim[] Permits)
    {
        public ManualResetEventSlim Armed { get; } = new(false);
    }
}
