namespace Aggregator.Actors.Kernel.Dispatch;

/// <summary>A reference to an actor in this process: Tell goes straight into its mailbox.</summary>
internal sealed class LocalActorRef : InternalActorRef
{
    public LocalActorRef(ActorPath path) : base(path) { }

    /// <summary>Set once, right after construction (the cell needs its own ref to exist first).</summary>
    public ActorCell Cell { get; internal set; } = null!;

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        Cell.Mailbox.Post(message, sender);
    }

    public override void SendSystemMessage(SystemMessage message) => Cell.Mailbox.PostSystem(message);
    public override bool IsTerminated => Cell.Mailbox.IsClosed;
}
