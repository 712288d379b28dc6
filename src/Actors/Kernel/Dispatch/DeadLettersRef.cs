using Aggregator.Actors.Kernel.Events;

namespace Aggregator.Actors.Kernel.Dispatch;

/// <summary>The reference of <c>system.DeadLetters</c>: what a missing sender resolves to; anything told to it is a dead letter.</summary>
internal sealed class DeadLettersRef(ActorPath path, DeadLetterOffice office) : InternalActorRef(path)
{
    public override void Tell(object message, IActorRef? sender)
    {
        if (message is DeadLetter) return;
        office.Publish(new DeadLetter(message, sender, this, DeadLetterReason.NoRecipient));
    }

    public override void SendSystemMessage(SystemMessage message)
    {
        if (message is Watch watch) watch.Watcher.SendSystemMessage(new DeathWatchNotification(this, existenceConfirmed: false));
    }

    public override bool IsTerminated => true;
}
