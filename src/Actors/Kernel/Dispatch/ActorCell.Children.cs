namespace Aggregator.Actors.Kernel.Dispatch;

/// <summary>Children: creation with unique names, lookup, and the bookkeeping stop and restart wait on.</summary>
internal sealed partial class ActorCell
{
    private readonly object childrenGate = new();
    private Dictionary<string, ChildEntry>? children;
    private long nextChildNumber;

    private sealed class ChildEntry(LocalActorRef actorRef)
    {
        public LocalActorRef Ref { get; } = actorRef;
        public Supervision.ChildRestartStats RestartStats { get; } = new();
        public bool Stopping { get; set; }
    }

    /// <summary>Safe from any thread (the system's <c>ActorOf</c> creates top-level actors through the guardian).</summary>
    public IActorRef ActorOf(Props props, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(props);
        name ??= "$" + Base36(Interlocked.Increment(ref nextChildNumber));
        ValidateName(name);
        var childRef = new LocalActorRef(SelfRef.Path.Child(name));
        var childCell = new ActorCell(System, childRef, props, SelfRef);
        lock (childrenGate)
        {
            if (state >= LifecycleState.Terminating)
                throw new InvalidOperationException($"Cannot create child [{name}]: {SelfRef.Path} is stopping.");
            children ??= new Dictionary<string, ChildEntry>(StringComparer.Ordinal);
            if (!children.TryAdd(name, new ChildEntry(childRef)))
                throw new InvalidActorNameException($"Actor name [{name}] is not unique under {SelfRef.Path}.");
        }
        childCell.Start();
        return childRef;
    }

    public IEnumerable<IActorRef> Children
    {
        get
        {
            lock (childrenGate) return children is null ? [] : children.Values.Select(c => (IActorRef)c.Ref).ToArray();
        }
    }

    public IActorRef? Child(string name)
    {
        lock (childrenGate) return children is not null && children.TryGetValue(name, out var entry) ? entry.Ref : null;
    }

    private int ChildCount
    {
        get { lock (childrenGate) return children?.Count ?? 0; }
    }

    private bool HasStoppingChildren
    {
        get { lock (childrenGate) return children is not null && children.Values.Any(c => c.Stopping); }
    }

    private ChildEntry? FindChild(IActorRef actorRef)
    {
        lock (childrenGate)
            return children is not null && children.TryGetValue(actorRef.Path.Name, out var entry) && entry.Ref.Equals(actorRef) ? entry : null;
    }

    private bool RemoveChild(IActorRef actorRef)
    {
        lock (childrenGate)
        {
            if (children is null || !children.TryGetValue(actorRef.Path.Name, out var entry) || !entry.Ref.Equals(actorRef)) return false;
            children.Remove(actorRef.Path.Name);
            return true;
        }
    }

    private LocalActorRef[] StopAllChildren()
    {
        LocalActorRef[] all;
        lock (childrenGate)
        {
            if (children is null) return [];
            foreach (var entry in children.Values) entry.Stopping = true;
            all = children.Values.Select(c => c.Ref).ToArray();
        }
        foreach (var child in all) child.SendSystemMessage(new Terminate());
        return all;
    }

    public void Stop(IActorRef actorRef)
    {
        if (FindChild(actorRef) is { } entry)
        {
            lock (childrenGate) entry.Stopping = true;
        }
        if (actorRef is InternalActorRef target) target.SendSystemMessage(new Terminate());
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new InvalidActorNameException("Actor name must not be empty.");
        if (name.Contains('/')) throw new InvalidActorNameException($"Actor name [{name}] must not contain '/'.");
    }

    private static string Base36(long value)
    {
        const string digits = "abcdefghijklmnopqrstuvwxyz0123456789";
        Span<char> buffer = stackalloc char[16];
        var position = buffer.Length;
        do
        {
            buffer[--position] = digits[(int)(value % 36)];
            value /= 36;
        } while (value > 0);
        return new string(buffer[position..]);
    }
}
