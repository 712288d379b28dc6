using System.Collections.Concurrent;
using Aggregator.Actors.Kernel;
using Aggregator.Actors.Kernel.Dispatch;

namespace Aggregator.Testing;

/// <summary>The reference behind a <see cref="TestProbe"/>: every Tell, and every Terminated of a watched actor, lands in its queue.</summary>
internal sealed class ProbeRef(ActorPath path) : InternalActorRef(path)
{
    public BlockingCollection<(object Message, IActorRef? Sender)> Queue { get; } = new();

    public override void Tell(object message, IActorRef? sender) => Queue.Add((message, sender));

    public override void SendSystemMessage(SystemMessage message)
    {
        if (message is DeathWatchNotification notification)
            Queue.Add((new Terminated(notification.Actor, notification.ExistenceConfirmed), notification.Actor));
    }
}
