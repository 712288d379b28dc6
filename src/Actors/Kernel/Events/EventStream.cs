namespace Aggregator.Actors.Kernel.Events;

/// <summary>Publish/subscribe by message type for system events (dead letters, unhandled messages), as Akka's EventStream.</summary>
public sealed class EventStream
{
    private (Type Channel, IActorRef Subscriber)[] subscriptions = [];

    /// <summary>Delivers every published event assignable to <paramref name="channel"/> to <paramref name="subscriber"/>.</summary>
    public void Subscribe(IActorRef subscriber, Type channel)
    {
        lock (this) subscriptions = [.. subscriptions, (channel, subscriber)];
    }

    public void Unsubscribe(IActorRef subscriber)
    {
        lock (this) subscriptions = subscriptions.Where(s => !s.Subscriber.Equals(subscriber)).ToArray();
    }

    public void Publish(object @event)
    {
        foreach (var (channel, subscriber) in Volatile.Read(ref subscriptions))
            if (channel.IsInstanceOfType(@event)) subscriber.Tell(@event, null);
    }
}
