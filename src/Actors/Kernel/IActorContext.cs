namespace Aggregator.Actors.Kernel;

/// <summary>What an actor may see and do about itself while it processes a message (Akka's <c>Context</c>).</summary>
public interface IActorContext
{
    IActorRef Self { get; }

    /// <summary>The sender of the current message; dead letters when there was none.</summary>
    IActorRef Sender { get; }

    IActorRef Parent { get; }
    IEnumerable<IActorRef> Children { get; }
    ActorSystem System { get; }
    Props Props { get; }

    /// <summary>The child with this name, or null.</summary>
    IActorRef? Child(string name);

    IActorRef ActorOf(Props props, string? name = null);

    /// <summary>Stops a child or this actor: the current message finishes, later ones become dead letters, children stop first.</summary>
    void Stop(IActorRef actor);

    /// <summary>Delivers <see cref="Terminated"/> when the actor stops, at once if it already has.</summary>
    IActorRef Watch(IActorRef actor);

    IActorRef Unwatch(IActorRef actor);

    /// <summary>Delivers <see cref="ReceiveTimeout"/> after this long without a message; null switches it off.</summary>
    void SetReceiveTimeout(TimeSpan? timeout);

    TimeSpan? ReceiveTimeout { get; }
}
