namespace Aggregator.Actors.Kernel.Dispatch;

/// <summary>Children: creation with unique names, lookup, and the bookkeeping stop and restart wait on.</summary>
/// <remarks>
/// Children form a doubly linked list through their own cells (no entry object, no dictionary per parent), so
/// adding and removing a child allocates nothing and finding the entry for a child's ref is a field read. Only
/// children given an explicit name are also indexed by name; generated names (<c>$a</c>, <c>$b</c>, …) are unique by
/// construction, so the short-lived children most parents create never touch a dictionary. The fields marked
/// "parent-owned" below live in the child's cell but belong to its parent: they are guarded by the parent's
/// <see cref="ChildrenGate"/> or touched only in the parent's turn.
/// </remarks>
internal sealed partial class ActorCell
{
    /// <summary>
    /// Guards the children list and the lifecycle state it depends on. The cell itself: it is internal, actors see it
    /// only as their <see cref="IActorContext"/>, and a separate lock object would cost every actor 24 bytes.
    /// </summary>
    private object ChildrenGate => this;
    private ActorCell? firstChild;
    private int childCount;
    private Dictionary<string, ActorCell>? namedChildren;
    private long nextChildNumber;

    // Parent-owned: this cell's place in its parent's list, and the parent's bookkeeping about it.
    private ActorCell? previousSibling;
    private ActorCell? nextSibling;
    private bool linkedToParent;
    private bool hasExplicitName;
    private bool stoppingByParent;
    private Supervision.ChildRestartStats? restartStatsForParent;

    /// <summary>Safe from any thread (the system's <c>ActorOf</c> creates top-level actors through the guardian).</summary>
    public IActorRef ActorOf(Props props, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(props);
        var explicitName = name is not null;
        if (explicitName) ValidateName(name!);
        LocalActorRef childRef;
        ActorCell childCell;
        while (true)
        {
            var number = explicitName ? 0 : Interlocked.Increment(ref nextChildNumber);
            childRef = new LocalActorRef(SelfRef, name, number);
            childCell = new ActorCell(System, childRef, props, SelfRef) { hasExplicitName = explicitName };
            lock (ChildrenGate)
            {
                if (state >= LifecycleState.Terminating)
                    throw new InvalidOperationException($"Cannot create child [{name ?? LocalActorRef.GeneratedName(number)}]: {SelfRef.Path} is stopping.");
                if (explicitName)
                {
                    if (IsNameTaken(name!)) throw new InvalidActorNameException($"Actor name [{name}] is not unique under {SelfRef.Path}.");
                    (namedChildren ??= new Dictionary<string, ActorCell>(StringComparer.Ordinal)).Add(name!, childCell);
                }
                else if (namedChildren is { Count: > 0 } && namedChildren.ContainsKey(LocalActorRef.GeneratedName(number)))
                {
                    continue; // an explicit name took this generated one: draw the next
                }
                Link(childCell);
                break;
            }
        }
        childCell.Start();
        return childRef;
    }

    /// <summary>
    /// Under the gate, for an explicit name. Explicit names are indexed; only one that starts with '$' can clash with
    /// a generated name, and only then are the other children's names compared. (A generated name is checked against
    /// the index alone: generated names never repeat.)
    /// </summary>
    private bool IsNameTaken(string name)
    {
        if (namedChildren is not null && namedChildren.ContainsKey(name)) return true;
        if (!name.StartsWith('$')) return false;
        for (var child = firstChild; child is not null; child = child.nextSibling)
            if (!child.hasExplicitName && child.SelfRef.Path.Name == name) return true;
        return false;
    }

    private void Link(ActorCell child)
    {
        child.nextSibling = firstChild;
        if (firstChild is not null) firstChild.previousSibling = child;
        firstChild = child;
        child.linkedToParent = true;
        childCount++;
    }

    private void Unlink(ActorCell child)
    {
        if (child.previousSibling is not null) child.previousSibling.nextSibling = child.nextSibling;
        else firstChild = child.nextSibling;
        if (child.nextSibling is not null) child.nextSibling.previousSibling = child.previousSibling;
        child.previousSibling = child.nextSibling = null;
        child.linkedToParent = false;
        childCount--;
        if (child.hasExplicitName) namedChildren!.Remove(child.SelfRef.Path.Name);
    }

    public IEnumerable<IActorRef> Children
    {
        get
        {
            lock (ChildrenGate)
            {
                if (childCount == 0) return [];
                var all = new IActorRef[childCount];
                var i = 0;
                for (var child = firstChild; child is not null; child = child.nextSibling) all[i++] = child.SelfRef;
                return all;
            }
        }
    }

    /// <summary>For the instrumentation's walk over the hierarchy: this cell's children at this moment.</summary>
    internal void CopyChildrenTo(List<ActorCell> into)
    {
        lock (ChildrenGate)
            for (var child = firstChild; child is not null; child = child.nextSibling) into.Add(child);
    }

    public IActorRef? Child(string name)
    {
        lock (ChildrenGate)
        {
            if (namedChildren is not null && namedChildren.TryGetValue(name, out var named)) return named.SelfRef;
            if (!name.StartsWith('$')) return null;
            for (var child = firstChild; child is not null; child = child.nextSibling)
                if (child.SelfRef.Path.Name == name) return child.SelfRef;
            return null;
        }
    }

    private bool HasStoppingChildren
    {
        get
        {
            lock (ChildrenGate)
            {
                for (var child = firstChild; child is not null; child = child.nextSibling)
                    if (child.stoppingByParent) return true;
                return false;
            }
        }
    }

    /// <summary>
    /// The cell of <paramref name="actorRef"/> if it is a child of this actor that has not been unlinked yet. Own turn
    /// only, and then without the lock: a child is linked before its ref exists for anyone, and unlinked only here.
    /// </summary>
    private ActorCell? FindChild(IActorRef actorRef) =>
        actorRef is LocalActorRef { Cell: { linkedToParent: true } cell } && ReferenceEquals(cell.ParentRef, SelfRef) ? cell : null;

    /// <summary>Unlinks a child that stopped; null when it was not (or no longer) a child. <paramref name="remaining"/>: children left.</summary>
    private ActorCell? RemoveChild(IActorRef actorRef, out int remaining)
    {
        remaining = -1;
        if (actorRef is not LocalActorRef { Cell: { } cell } || !ReferenceEquals(cell.ParentRef, SelfRef)) return null;
        lock (ChildrenGate)
        {
            if (!cell.linkedToParent) return null;
            Unlink(cell);
            remaining = childCount;
            return cell;
        }
    }

    /// <summary>
    /// Moves to <see cref="LifecycleState.Terminating"/> and, under the same lock (so no child can be added after the
    /// snapshot), marks every child stopping; then sends each a Terminate. False when there were none.
    /// </summary>
    private bool TerminateAndStopAllChildren()
    {
        LocalActorRef[] all;
        lock (ChildrenGate)
        {
            state = LifecycleState.Terminating;
            if (childCount == 0) return false;
            all = new LocalActorRef[childCount];
            var i = 0;
            for (var child = firstChild; child is not null; child = child.nextSibling)
            {
                child.stoppingByParent = true;
                all[i++] = child.SelfRef;
            }
        }
        foreach (var child in all) child.SendSystemMessage(new Terminate());
        return true;
    }

    public void Stop(IActorRef actorRef)
    {
        if (FindChild(actorRef) is { } child) child.stoppingByParent = true;
        if (actorRef is InternalActorRef target) target.SendSystemMessage(new Terminate());
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new InvalidActorNameException("Actor name must not be empty.");
        if (name.Contains('/')) throw new InvalidActorNameException($"Actor name [{name}] must not contain '/'.");
    }
}
