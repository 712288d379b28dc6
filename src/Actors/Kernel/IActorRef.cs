using Aggregator.Actors.Kernel.Dispatch;

namespace Aggregator.Actors.Kernel;

/// <summary>Anything a message can be told to.</summary>
public interface ICanTell
{
    /// <summary>Sends without waiting; never blocks and never throws for a stopped recipient (the message becomes a dead letter).</summary>
    void Tell(object message, IActorRef? sender);
}

/// <summary>The only handle to an actor: location transparent, cheap to copy, safe to use from any thread.</summary>
public interface IActorRef : ICanTell, IEquatable<IActorRef>
{
    ActorPath Path { get; }
}

/// <summary>Well-known references.</summary>
public static class ActorRefs
{
    /// <summary>Tell with no sender; replies go to dead letters.</summary>
    public const IActorRef? NoSender = null;
}

/// <summary>Akka's implicit-sender <c>Tell(message)</c>: inside an actor the sender is <c>Self</c>, elsewhere nobody.</summary>
public static class TellExtensions
{
    public static void Tell(this ICanTell receiver, object message) =>
        receiver.Tell(message, ActorCell.Current?.Self);

    /// <summary>Passes the message on, keeping the original sender (Akka's <c>Forward</c>).</summary>
    public static void Forward(this ICanTell receiver, object message)
    {
        var cell = ActorCell.Current ?? throw new InvalidOperationException("Forward is only possible inside an actor.");
        receiver.Tell(message, cell.Sender);
    }
}
