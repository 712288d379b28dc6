namespace Aggregator.Actors.Kernel;

/// <summary>An actor failed while being created or started (constructor or PreStart); supervisors stop it by default.</summary>
public sealed class ActorInitializationException(ActorPath path, Exception cause)
    : Exception($"Actor {path} failed to start: {cause.Message}", cause)
{
    public ActorPath Path { get; } = path;
}

/// <summary>An actor received <see cref="Terminated"/> for a watched actor and did not handle it.</summary>
public sealed class DeathPactException(IActorRef dead)
    : Exception($"Watched actor {dead.Path} terminated and the watcher does not handle Terminated.")
{
    public IActorRef DeadActor { get; } = dead;
}

/// <summary>Thrown inside an actor that received <see cref="Kill"/>.</summary>
public sealed class ActorKilledException(ActorPath path) : Exception($"Actor {path} was killed.");

/// <summary>An Ask got no reply in time.</summary>
public sealed class AskTimeoutException(string message) : TimeoutException(message);

/// <summary>An actor name that is empty, reserved, malformed or already taken by a sibling.</summary>
public sealed class InvalidActorNameException(string message) : ArgumentException(message);
