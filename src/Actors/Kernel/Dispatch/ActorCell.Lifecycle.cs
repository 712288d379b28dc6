using Aggregator.Actors.Kernel.Supervision;
using Serilog;

namespace Aggregator.Actors.Kernel.Dispatch;

/// <summary>Lifecycle: create, fail, resume, restart, stop — and the supervisor's side of a child's failure.</summary>
internal sealed partial class ActorCell
{
    private LifecycleState state = LifecycleState.Starting;
    private object? failedMessage;
    private Exception? pendingRestartCause;

    internal enum LifecycleState { Starting, Running, Failed, Restarting, Terminating, Terminated }

    /// <summary>False while starting, failed (awaiting the supervisor), restarting, or stopping.</summary>
    public bool CanProcessUserMessages => state == LifecycleState.Running;

    private ILogger Log => System.Log;

    private void CreateActor()
    {
        if (state != LifecycleState.Starting) return;
        try
        {
            actor = NewActor();
            state = LifecycleState.Running;
            actor.AroundPreStart();
        }
        catch (Exception exception)
        {
            HandleFailure(new ActorInitializationException(SelfRef.Path, exception));
        }
    }

    /// <summary>The actor threw: suspend user messages and ask the parent what to do.</summary>
    private void HandleFailure(Exception exception)
    {
        if (state >= LifecycleState.Terminating)
        {
            Log.Error(exception, "Actor {Path} failed while stopping", SelfRef.Path.ToString());
            return;
        }
        failedMessage = currentMessage;
        Log.Error(exception, "Actor {Path} ({ActorType}) failed processing {MessageType}",
            SelfRef.Path.ToString(), Props.ActorType.Name, currentMessage?.GetType().Name ?? "<lifecycle>");
        state = LifecycleState.Failed;
        ParentRef.SendSystemMessage(new Failed(SelfRef, exception));
    }

    private void ResumeAfterFailure()
    {
        if (state != LifecycleState.Failed) return;
        failedMessage = null;
        state = actor is null ? LifecycleState.Starting : LifecycleState.Running;
        if (actor is null) CreateActor();
    }

    private void BeginRecreate(Exception cause)
    {
        if (state >= LifecycleState.Terminating) return;
        try
        {
            actor?.AroundPreRestart(cause, failedMessage);
        }
        catch (Exception exception)
        {
            Log.Error(exception, "Actor {Path} failed in PreRestart", SelfRef.Path.ToString());
        }
        failedMessage = null;
        Volatile.Write(ref Stats.Restarts, Stats.Restarts + 1);
        state = LifecycleState.Restarting;
        pendingRestartCause = cause;
        if (!HasStoppingChildren) FinishRecreate();
    }

    private void FinishRecreate()
    {
        var cause = pendingRestartCause!;
        pendingRestartCause = null;
        try
        {
            actor = NewActor();
            state = LifecycleState.Running;
            actor.AroundPostRestart(cause);
        }
        catch (Exception exception)
        {
            HandleFailure(new ActorInitializationException(SelfRef.Path, exception));
        }
    }

    private void BeginTerminate()
    {
        if (state >= LifecycleState.Terminating) return;
        var hadChildren = TerminateAndStopAllChildren();
        CancelReceiveTimeout();
        UnwatchAll();
        if (!hadChildren) FinishTerminate();
    }

    private void OnChildStopped(int remaining)
    {
        if (state == LifecycleState.Terminating && remaining == 0) FinishTerminate();
        else if (state == LifecycleState.Restarting && !HasStoppingChildren) FinishRecreate();
    }

    private void FinishTerminate()
    {
        try
        {
            actor?.AroundPostStop();
        }
        catch (Exception exception)
        {
            Log.Error(exception, "Actor {Path} failed in PostStop", SelfRef.Path.ToString());
        }
        actor = null;
        state = LifecycleState.Terminated; // no lock: ActorOf only needs to see Terminating or later, which it already does
        Mailbox.Close();
        System.Instrumentation.Unregister(this); // before anyone is told: whoever sees Terminated sees the actor gone from the counts
        TellWatchersThatWeDied();
    }

    /// <summary>Supervisor side: a child failed; apply this actor's strategy.</summary>
    private void HandleChildFailure(Failed failed)
    {
        var child = FindChild(failed.Child);
        if (child is null || child.stoppingByParent) return; // stale: the child is already gone or going
        var strategy = actor?.StrategyForChildren() ?? Props.SupervisorStrategy ?? System.Settings.DefaultSupervisorStrategy;
        Directive directive;
        try
        {
            directive = strategy.Decide(failed.Cause);
        }
        catch (Exception exception)
        {
            Log.Error(exception, "Supervisor strategy of {Path} threw; escalating", SelfRef.Path.ToString());
            directive = Directive.Escalate;
        }

        switch (directive)
        {
            case Directive.Resume:
                failed.Child.SendSystemMessage(new Resume());
                break;
            case Directive.Restart when (child.restartStatsForParent ??= new()).RequestRestartPermission(strategy, System.TimeProvider):
                failed.Child.SendSystemMessage(new Recreate(failed.Cause));
                break;
            case Directive.Restart:
                Log.Warning("Actor {Path} exceeded {MaxRestarts} restarts within {Window}; stopping it",
                    failed.Child.Path.ToString(), strategy.MaxNrOfRetries, strategy.WithinTimeRange);
                Stop(failed.Child);
                break;
            case Directive.Stop:
                Stop(failed.Child);
                break;
            case Directive.Escalate:
                HandleFailure(failed.Cause);
                break;
        }
    }
}
