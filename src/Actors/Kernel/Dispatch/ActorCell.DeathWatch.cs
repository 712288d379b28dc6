namespace Aggregator.Actors.Kernel.Dispatch;

/// <summary>Death watch: who this actor watches, who watches it, and what happens when either side stops.</summary>
internal sealed partial class ActorCell
{
    private HashSet<InternalActorRef>? watching;
    private HashSet<InternalActorRef>? watchedBy;

    public IActorRef Watch(IActorRef actorRef)
    {
        if (actorRef is not InternalActorRef subject || subject.Equals(SelfRef)) return actorRef;
        watching ??= [];
        if (watching.Add(subject)) subject.SendSystemMessage(new Watch(subject, SelfRef));
        return actorRef;
    }

    public IActorRef Unwatch(IActorRef actorRef)
    {
        if (actorRef is InternalActorRef subject && watching?.Remove(subject) == true)
            subject.SendSystemMessage(new Unwatch(subject, SelfRef));
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
        if (watching?.Remove(notification.Actor) == true && actor is not null && state < LifecycleState.Terminating)
            InvokeTerminated(new Terminated(notification.Actor, notification.ExistenceConfirmed), notification.Actor);
        if (wasChild) OnChildStopped();
    }

    private void InvokeTerminated(Terminated terminated, IActorRef sender)
    {
        currentMessage = terminated;
        currentSender = sender;
        try
        {
            Deliver(terminated);
        }
        finally
        {
            currentMessage = null;
            currentSender = null;
        }
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
