using Serilog;

namespace Aggregator.Actors.Kernel.Dispatch;

/// <summary>
/// The parent of the /user and /system guardians. A guardian that fails is stopped (there is nobody above to
/// ask); a guardian that stops reports here, which is how the system learns it has terminated.
/// </summary>
internal sealed class RootRef(ActorPath path, ILogger log, Action<InternalActorRef> guardianStopped) : InternalActorRef(path)
{
    public override void Tell(object message, IActorRef? sender) { }

    public override void SendSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case Failed failed:
                log.Fatal(failed.Cause, "Guardian {Path} failed; stopping it", failed.Child.Path.ToString());
                failed.Child.SendSystemMessage(new Terminate());
                break;
            case DeathWatchNotification notification:
                guardianStopped(notification.Actor);
                break;
        }
    }
}

/// <summary>The actor behind /user and /system: handles nothing itself, supervises the top-level actors.</summary>
internal sealed class GuardianActor : ActorBase
{
    protected override bool Receive(object message) => false;
}
