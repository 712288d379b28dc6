namespace Aggregator.Actors.Kernel.Dispatch;

/// <summary>The kernel's side of a reference: system messages and identity, hidden from actor code.</summary>
internal abstract class InternalActorRef : IActorRef
{
    private static long nextUid;

    protected InternalActorRef(ActorPath path)
    {
        Path = path;
        Uid = Interlocked.Increment(ref nextUid);
    }

    public ActorPath Path { get; }

    /// <summary>Distinguishes incarnations that reuse a path.</summary>
    public long Uid { get; }

    public abstract void Tell(object message, IActorRef? sender);
    public abstract void SendSystemMessage(SystemMessage message);
    public virtual bool IsTerminated => false;

    public bool Equals(IActorRef? other) => other is InternalActorRef o && o.Uid == Uid;
    public override bool Equals(object? obj) => Equals(obj as IActorRef);
    public override int GetHashCode() => Uid.GetHashCode();
    public override string ToString() => $"[{Path}#{Uid}]";
}
