using Aggregator.Actors.Kernel;

namespace Aggregator.Actors.Tests.Kernel;

/// <summary>Replies to the sender with whatever it receives.</summary>
internal sealed class EchoActor : ReceiveActor
{
    public EchoActor() => ReceiveAny(message => Sender.Tell(message));
}

/// <summary>Reports lifecycle hooks to a probe, keeps a counter as state, and fails on demand.</summary>
internal sealed class LifecycleActor : ReceiveActor
{
    public sealed record Fail(string Why);
    public sealed record Increment;
    public sealed record GetCount;
    public sealed record Count(int Value);
    public sealed record Hook(string Name, string Actor);

    private readonly IActorRef reporter;
    private int count;

    public LifecycleActor(IActorRef reporter)
    {
        this.reporter = reporter;
        Receive<Fail>(f => throw new InvalidOperationException(f.Why));
        Receive<Increment>(_ => count++);
        Receive<GetCount>(_ => Sender.Tell(new Count(count)));
        Receive<Props>(props => Sender.Tell(Context.ActorOf(props, "child")));
    }

    protected override void PreStart() => reporter.Tell(new Hook("PreStart", Self.Path.Name));
    protected override void PostStop() => reporter.Tell(new Hook("PostStop", Self.Path.Name));

    protected override void PreRestart(Exception reason, object? message)
    {
        reporter.Tell(new Hook("PreRestart:" + reason.Message, Self.Path.Name));
        base.PreRestart(reason, message);
    }

    protected override void PostRestart(Exception reason)
    {
        reporter.Tell(new Hook("PostRestart", Self.Path.Name));
        base.PostRestart(reason);
    }
}

/// <summary>A parent whose strategy is given by the test; creates children on request and forwards Terminated.</summary>
internal sealed class SupervisorActor : ReceiveActor
{
    private readonly Aggregator.Actors.Kernel.Supervision.SupervisorStrategy strategy;

    public SupervisorActor(Aggregator.Actors.Kernel.Supervision.SupervisorStrategy strategy)
    {
        this.strategy = strategy;
        Receive<Props>(props => Sender.Tell(Context.ActorOf(props)));
        Receive<(Props Props, string Name)>(p => Sender.Tell(Context.ActorOf(p.Props, p.Name)));
    }

    protected override Aggregator.Actors.Kernel.Supervision.SupervisorStrategy SupervisorStrategy() => strategy;
}
