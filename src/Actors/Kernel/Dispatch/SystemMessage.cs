namespace Aggregator.Actors.Kernel.Dispatch;

/// <summary>
/// Kernel-to-kernel messages (lifecycle, supervision, death watch). They jump ahead of user messages and are
/// processed even while an actor is suspended. Each instance is sent once, so it carries its own queue link.
/// </summary>
internal abstract class SystemMessage
{
    internal SystemMessage? Next;
}

/// <summary>Create the actor instance and run PreStart. Never queued: every mailbox starts with it pending, so one instance serves all.</summary>
internal sealed class Create : SystemMessage
{
    public static readonly Create Instance = new();
    private Create() { }
}

/// <summary>Stop: children first, then PostStop, then notify watchers and the parent.</summary>
internal sealed class Terminate : SystemMessage;

/// <summary>The supervisor decided Resume.</summary>
internal sealed class Resume : SystemMessage;

/// <summary>The supervisor decided Restart.</summary>
internal sealed class Recreate(Exception cause) : SystemMessage
{
    public Exception Cause { get; } = cause;
}

/// <summary>A child failed; sent to its parent.</summary>
internal sealed class Failed(InternalActorRef child, Exception cause) : SystemMessage
{
    public InternalActorRef Child { get; } = child;
    public Exception Cause { get; } = cause;
}

/// <summary>A change to who watches whom.</summary>
internal abstract class WatchRelation(InternalActorRef watchee, InternalActorRef watcher) : SystemMessage
{
    public InternalActorRef Watchee { get; } = watchee;
    public InternalActorRef Watcher { get; } = watcher;
}

/// <summary>The watcher wants to know when the watchee stops.</summary>
internal sealed class Watch(InternalActorRef watchee, InternalActorRef watcher) : WatchRelation(watchee, watcher);

/// <summary>The watcher no longer wants to know.</summary>
internal sealed class Unwatch(InternalActorRef watchee, InternalActorRef watcher) : WatchRelation(watchee, watcher);

/// <summary>An actor stopped; sent to its watchers and its parent.</summary>
internal sealed class DeathWatchNotification(InternalActorRef actor, bool existenceConfirmed) : SystemMessage
{
    public InternalActorRef Actor { get; } = actor;
    public bool ExistenceConfirmed { get; } = existenceConfirmed;
}
