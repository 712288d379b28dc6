namespace Aggregator.Actors.Kernel.Dispatch;

/// <summary>The kernel's side of a reference: system messages and identity, hidden from actor code.</summary>
internal abstract class InternalActorRef : IActorRef
{
    private const long UidBlock = 1024;
    private static long nextUidBlock;
    [ThreadStatic] private static long threadNextUid;
    [ThreadStatic] private static long threadUidLimit;
    private ActorPath? path;

    protected InternalActorRef(ActorPath path)
    {
        this.path = path;
        Uid = NextUid();
    }

    /// <summary>For a ref whose path is built on first use (<see cref="BuildPath"/>).</summary>
    protected InternalActorRef() => Uid = NextUid();

    /// <summary>Built on first use for children: most short-lived actors are never named in a log or a snapshot.</summary>
    public ActorPath Path => Volatile.Read(ref path) ?? PublishPath();

    /// <summary>Distinguishes incarnations that reuse a path.</summary>
    public long Uid { get; }

    /// <summary>Subclasses that pass no path to the constructor build it here, once.</summary>
    protected virtual ActorPath BuildPath() => throw new InvalidOperationException($"{GetType().Name} has no path.");

    private ActorPath PublishPath()
    {
        var built = BuildPath();
        return Interlocked.CompareExchange(ref path, built, null) ?? built;
    }

    /// <summary>
    /// Unique for the process. Each thread takes a block of ids at a time, so creating actors on several cores does
    /// not make them all increment one shared counter.
    /// </summary>
    private static long NextUid()
    {
        if (threadNextUid == threadUidLimit)
        {
            threadUidLimit = Interlocked.Add(ref nextUidBlock, UidBlock) + 1;
            threadNextUid = threadUidLimit - UidBlock;
        }
        return threadNextUid++;
    }

    public abstract void Tell(object message, IActorRef? sender);
    public abstract void SendSystemMessage(SystemMessage message);
    public virtual bool IsTerminated => false;

    public bool Equals(IActorRef? other) => other is InternalActorRef o && o.Uid == Uid;
    public override bool Equals(object? obj) => Equals(obj as IActorRef);
    public override int GetHashCode() => Uid.GetHashCode();
    public override string ToString() => $"[{Path}#{Uid}]";
}
