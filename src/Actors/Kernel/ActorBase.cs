using Aggregator.Actors.Kernel.Dispatch;
using Aggregator.Actors.Kernel.Supervision;

namespace Aggregator.Actors.Kernel;

/// <summary>
/// The base of every actor: one message at a time, state owned by the actor alone, lifecycle hooks.
/// Create instances only through <see cref="Props"/> and <c>ActorOf</c>.
/// </summary>
public abstract class ActorBase
{
    private readonly ActorCell cell;
    private Stack<Func<object, bool>>? behaviors;

    protected ActorBase()
    {
        cell = ActorCell.Constructing ?? throw new InvalidOperationException(
            $"{GetType().Name} must be created by the actor system (ActorOf with Props), not with 'new'.");
    }

    protected IActorContext Context => cell;
    protected IActorRef Self => cell.Self;
    protected IActorRef Sender => cell.Sender;

    /// <summary>Handles a message; returns false when it is not handled (then <see cref="Unhandled"/> runs).</summary>
    protected abstract bool Receive(object message);

    /// <summary>Runs before the first message; also after a restart, through <see cref="PostRestart"/>.</summary>
    protected virtual void PreStart() { }

    /// <summary>Runs once after the actor stopped and its children stopped.</summary>
    protected virtual void PostStop() { }

    /// <summary>Runs on the failed instance before a restart; by default stops all children and calls <see cref="PostStop"/>.</summary>
    protected virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in Context.Children) Context.Stop(child);
        PostStop();
    }

    /// <summary>Runs on the fresh instance after a restart; by default calls <see cref="PreStart"/>.</summary>
    protected virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>The strategy for this actor's children; <see cref="Props.SupervisorStrategy"/> or the system default unless overridden.</summary>
    protected virtual SupervisorStrategy SupervisorStrategy() =>
        cell.Props.SupervisorStrategy ?? cell.System.Settings.DefaultSupervisorStrategy;

    /// <summary>Called for a message no behaviour handled: counts it, logs it (rate limited) and publishes <see cref="UnhandledMessage"/>.</summary>
    protected virtual void Unhandled(object message)
    {
        if (message is Terminated terminated) throw new DeathPactException(terminated.ActorRef);
        cell.ReportUnhandled(message);
    }

    /// <summary>Replaces the current behaviour (the default one is <see cref="Receive"/>).</summary>
    protected void Become(Func<object, bool> receive)
    {
        behaviors ??= new Stack<Func<object, bool>>();
        if (behaviors.Count > 0) behaviors.Pop();
        behaviors.Push(receive);
    }

    /// <summary>Pushes a behaviour; <see cref="UnbecomeStacked"/> returns to the previous one.</summary>
    protected void BecomeStacked(Func<object, bool> receive)
    {
        behaviors ??= new Stack<Func<object, bool>>();
        behaviors.Push(receive);
    }

    /// <summary>Returns to the previous behaviour; at the bottom, to <see cref="Receive"/>.</summary>
    protected void UnbecomeStacked()
    {
        if (behaviors is { Count: > 0 }) behaviors.Pop();
    }

    internal bool AroundReceive(object message) =>
        behaviors is { Count: > 0 } ? behaviors.Peek()(message) : Receive(message);

    internal void AroundUnhandled(object message) => Unhandled(message);
    internal void AroundPreStart() => PreStart();
    internal void AroundPostStop() => PostStop();
    internal void AroundPreRestart(Exception reason, object? message) => PreRestart(reason, message);
    internal void AroundPostRestart(Exception reason) => PostRestart(reason);
    internal SupervisorStrategy StrategyForChildren() => SupervisorStrategy();
}
