namespace Aggregator.Actors.Kernel.Dispatch;

/// <summary>Death watch: who this actor watches, who watches it, and what happens when either side stops.</summary>
internal sealed partial class ActorCell
{
    private HashSet<InternalActorRef>? watching;
    private HashSet<InternalActorRef>? watchedBy;
    /// <summary>Watched actors whose Terminated is queued but not yet delivered; an Unwatch in between cancels it.</summary>
    private HashSet<InternalActorRef>? terminatedQueued;

    public IActorRef Watch(IActorRef actorRef)
    {
        if (actorRef is not InternalActorRef subject || subject.Equals(SelfRef)) return actorRef;
        watching ??= [];
        if (watching.Add(subject)) subject.SendSystemMessage(new Watch(subject, SelfRef));
        return actorRef;
    }

    public IActorRef Unwatch(IActorRef actorRef)
    {
        if (actorRef is not InternalActorRef subject) return actorRef;
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
        var wasChild = RemoveChild(notification.Actor);
        if (watching?.Remove(notification.Actor) == true && state < LifecycleState.Terminating)
        {
            // Queued behind the user messages already in the mailbox, so a watcher sees everything the watched
            // actor sent before it stopped, then Terminated (Akka's ordering guarantee).
            (terminatedQueued ??= []).Add(notification.Actor);
            Mailbox.PostPastCapacity(new Terminated(notification.Actor, notification.ExistenceConfirmed), notification.Actor);
        }
        if (wasChild) OnChildStopped();
    }

    /// <summary>A queued Terminated reaches the actor only if it was not unwatched meanwhile.</summary>
    private void ReceiveTerminated(Terminated terminated)
    {
        if (terminated.ActorRef is InternalActorRef subject && terminatedQueued?.Remove(subject) == true) Deliver(terminated);
    }

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
