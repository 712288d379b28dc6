namespace Aggregator.Actors.Kernel.Dispatch;

/// <summary>Death watch: who this actor watches, who watches it, and what happens when either side stops.</summary>
/// <remarks>
/// A parent watching its own child needs no Watch message and no set entry: every child tells its parent when it
/// stops anyway (that is how the parent unlinks it), so the watch is a flag in the child's cell, read when that
/// notification arrives. Parents that watch their short-lived children therefore pay nothing extra per child.
/// Other watches go through the sets below and Watch/Unwatch system messages.
/// </remarks>
internal sealed partial class ActorCell
{
    // Parent-owned, touched only in the parent's turn: the parent watches this child / has queued its Terminated.
    private bool watchedByParent;
    private bool terminatedQueuedForParent;

    private HashSet<InternalActorRef>? watching;
    private HashSet<InternalActorRef>? watchedBy;
    /// <summary>Watched actors whose Terminated is queued but not yet delivered; an Unwatch in between cancels it.</summary>
    private HashSet<InternalActorRef>? terminatedQueued;

    public IActorRef Watch(IActorRef actorRef)
    {
        if (actorRef is not InternalActorRef subject || subject.Equals(SelfRef)) return actorRef;
        if (FindChild(subject) is { } child)
        {
            child.watchedByParent = true; // it will tell us when it stops (and if it already did, that notice is still on its way)
            return actorRef;
        }
        watching ??= [];
        if (watching.Add(subject)) subject.SendSystemMessage(new Watch(subject, SelfRef));
        return actorRef;
    }

    public IActorRef Unwatch(IActorRef actorRef)
    {
        if (actorRef is not InternalActorRef subject) return actorRef;
        if (OwnChildCell(subject) is { } child) child.watchedByParent = child.terminatedQueuedForParent = false;
        if (watching?.Remove(subject) == true) subject.SendSystemMessage(new Unwatch(subject, SelfRef));
        terminatedQueued?.Remove(subject);
        return actorRef;
    }

    private void AddWatcher(Watch watch)
    {
        if (!watch.Watchee.Equals(SelfRef) || watch.Watcher.Equals(SelfRef)) return;
        watchedBy ??= [];
        watchedBy.Add(watch.Watcher);
    }

    private void RemoveWatcher(Unwatch unwatch) => watchedBy?.Remove(unwatch.Watcher);

    private void HandleDeathWatchNotification(DeathWatchNotification notification)
    {
        var child = RemoveChild(notification.Actor, out var remaining);
        var watchedAsChild = child is { watchedByParent: true };
        if (watchedAsChild) child!.watchedByParent = false;
        if ((watchedAsChild || watching?.Remove(notification.Actor) == true) && state < LifecycleState.Terminating)
        {
            // Queued behind the user messages already in the mailbox, so a watcher sees everything the watched
            // actor sent before it stopped, then Terminated (Akka's ordering guarantee).
            if (watchedAsChild) child!.terminatedQueuedForParent = true;
            else (terminatedQueued ??= []).Add(notification.Actor);
            Mailbox.PostPastCapacity(new Terminated(notification.Actor, notification.ExistenceConfirmed), notification.Actor);
        }
        if (child is not null) OnChildStopped(remaining);
    }

    /// <summary>A queued Terminated reaches the actor only if it was not unwatched meanwhile.</summary>
    private void ReceiveTerminated(Terminated terminated)
    {
        if (terminated.ActorRef is not InternalActorRef subject) return;
        if (OwnChildCell(subject) is { terminatedQueuedForParent: true } child)
        {
            child.terminatedQueuedForParent = false;
            Deliver(terminated);
        }
        else if (terminatedQueued?.Remove(subject) == true)
        {
            Deliver(terminated);
        }
    }

    /// <summary>The cell of <paramref name="actorRef"/> when this actor is its parent, linked or already unlinked.</summary>
    private ActorCell? OwnChildCell(IActorRef actorRef) =>
        actorRef is LocalActorRef { Cell: { } cell } && ReferenceEquals(cell.ParentRef, SelfRef) ? cell : null;

    private void UnwatchAll()
    {
        if (watching is null) return;
        foreach (var subject in watching) subject.SendSystemMessage(new Unwatch(subject, SelfRef));
        watching = null;
    }

    private void TellWatchersThatWeDied()
    {
        if (watchedBy is not null)
        {
            foreach (var watcher in watchedBy)
                if (!watcher.Equals(ParentRef)) watcher.SendSystemMessage(new DeathWatchNotification(SelfRef, existenceConfirmed: true));
            watchedBy = null;
        }
        ParentRef.SendSystemMessage(new DeathWatchNotification(SelfRef, existenceConfirmed: true));
    }

    /// <summary>A system message reached this actor after it stopped: a late Watch is answered at once.</summary>
    public void OnSystemMessageAfterStop(SystemMessage message)
    {
        if (message is Watch watch && watch.Watchee.Equals(SelfRef) && !watch.Watcher.Equals(SelfRef))
            watch.Watcher.SendSystemMessage(new DeathWatchNotification(SelfRef, existenceConfirmed: false));
    }
}
