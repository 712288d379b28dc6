namespace Aggregator.Actors.Kernel;

/// <summary>Messages the kernel handles itself before the actor's receive sees them.</summary>
public interface IAutoReceivedMessage;

/// <summary>Marks messages that do not count as activity for <see cref="IActorContext.SetReceiveTimeout"/>.</summary>
public interface INotInfluenceReceiveTimeout;

/// <summary>Stops the actor after the messages queued before it have been processed.</summary>
public sealed class PoisonPill : IAutoReceivedMessage
{
    public static readonly PoisonPill Instance = new();
    private PoisonPill() { }
    public override string ToString() => "<PoisonPill>";
}

/// <summary>Makes the actor fail with <see cref="ActorKilledException"/>, so its supervisor decides (default: stop).</summary>
public sealed class Kill : IAutoReceivedMessage
{
    public static readonly Kill Instance = new();
    private Kill() { }
    public override string ToString() => "<Kill>";
}

/// <summary>Delivered to a watcher when a watched actor has stopped (also when it was already dead when watched).</summary>
public sealed record Terminated(IActorRef ActorRef, bool ExistenceConfirmed) : IAutoReceivedMessage, INotInfluenceReceiveTimeout;

/// <summary>Delivered when no message arrived for the time set with <see cref="IActorContext.SetReceiveTimeout"/>.</summary>
public sealed class ReceiveTimeout : INotInfluenceReceiveTimeout
{
    public static readonly ReceiveTimeout Instance = new();
    private ReceiveTimeout() { }
    public override string ToString() => "<ReceiveTimeout>";
}

/// <summary>Replies that carry an outcome (Akka's <c>Status</c>); a <see cref="Failure"/> fails an Ask.</summary>
public abstract record Status
{
    public sealed record Success(object? Value) : Status;
    public sealed record Failure(Exception Cause) : Status;
}

/// <summary>A message that could not be delivered: its recipient had stopped, or its bounded mailbox was full.</summary>
public sealed record DeadLetter(object Message, IActorRef? Sender, IActorRef Recipient, DeadLetterReason Reason);

/// <summary>Why a message became a dead letter.</summary>
public enum DeadLetterReason { RecipientStopped, MailboxFull, NoRecipient }

/// <summary>Published when an actor did not handle a message.</summary>
public sealed record UnhandledMessage(object Message, IActorRef? Sender, IActorRef Recipient);

/// <summary>Any actor answers with <see cref="ActorIdentity"/>: a cheap way to know it has started (its PreStart ran).</summary>
public sealed record Identify(object? MessageId) : IAutoReceivedMessage, INotInfluenceReceiveTimeout;

/// <summary>The answer to <see cref="Identify"/>.</summary>
public sealed record ActorIdentity(object? MessageId, IActorRef Subject);
