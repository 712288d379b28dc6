using Aggregator.Actors.Kernel.Supervision;

namespace Aggregator.Actors.Kernel;

/// <summary>How to create an actor (and recreate it on restart): the factory plus mailbox and supervision options.</summary>
public sealed record Props
{
    private Props(Type actorType, Func<ActorBase> factory)
    {
        ActorType = actorType;
        Factory = factory;
    }

    public Type ActorType { get; }
    internal Func<ActorBase> Factory { get; }

    /// <summary>Mailbox capacity; 0 is unbounded. When full, new messages go to dead letters and are counted.</summary>
    public int MailboxCapacity { get; init; }

    /// <summary>Messages per turn on a thread-pool thread; null uses the system default.</summary>
    public int? Throughput { get; init; }

    /// <summary>Strategy this actor applies to its children; null uses the actor's override or the system default.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; init; }

    public static Props Create<TActor>() where TActor : ActorBase, new() => new(typeof(TActor), static () => new TActor());

    /// <summary>The factory runs again on every restart, so it must build a fresh instance each call.</summary>
    public static Props Create<TActor>(Func<TActor> factory) where TActor : ActorBase => new(typeof(TActor), factory);

    public Props WithBoundedMailbox(int capacity) =>
        capacity > 0 ? this with { MailboxCapacity = capacity } : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "Mailbox capacity must be positive.");

    public Props WithThroughput(int throughput) =>
        throughput > 0 ? this with { Throughput = throughput } : throw new ArgumentOutOfRangeException(nameof(throughput), throughput, "Throughput must be positive.");

    public Props WithSupervisorStrategy(SupervisorStrategy strategy) => this with { SupervisorStrategy = strategy };
}
