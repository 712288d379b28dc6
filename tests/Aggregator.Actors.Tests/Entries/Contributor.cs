using Aggregator.Actors.Kernel;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Entries;

/// <summary>A real actor that sends whatever entry messages it is given to the region as itself: an owner or guard holder that can stop.</summary>
internal sealed class Contributor(IActorRef region) : ActorBase
{
    public static IActorRef Start(ActorSystem system, IActorRef region) => system.ActorOf(Props.Create(() => new Contributor(region)));

    protected override bool Receive(object message)
    {
        if (message is not IEntryMessage entryMessage) return false;
        region.Tell(entryMessage, Self);
        return true;
    }
}
