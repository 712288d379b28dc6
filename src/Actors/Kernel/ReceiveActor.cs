namespace Aggregator.Actors.Kernel;

/// <summary>An actor whose behaviour is a list of typed handlers registered in the constructor, as in Akka.NET.</summary>
public abstract class ReceiveActor : ActorBase
{
    private readonly HandlerSet initial = new();
    private HandlerSet? building;

    /// <summary>Handles messages of type <typeparamref name="T"/> (matching the predicate, if any).</summary>
    protected void Receive<T>(Action<T> handler, Predicate<T>? shouldHandle = null) =>
        (building ?? initial).Add(new ActionHandler<T>(handler, shouldHandle));

    /// <summary>Handles messages of type <typeparamref name="T"/> that match <paramref name="shouldHandle"/> (Akka's predicate-first form).</summary>
    protected void Receive<T>(Predicate<T> shouldHandle, Action<T> handler) => Receive(handler, shouldHandle);

    /// <summary>Handles messages of type <typeparamref name="T"/> for which the handler returns true.</summary>
    protected void Receive<T>(Func<T, bool> handler) =>
        (building ?? initial).Add(new FuncHandler<T>(handler));

    /// <summary>Handles any message not handled by an earlier registration.</summary>
    protected void ReceiveAny(Action<object> handler) =>
        (building ?? initial).Add(new ActionHandler<object>(handler, null));

    protected sealed override bool Receive(object message) => initial.TryHandle(message);

    /// <summary>Replaces the behaviour with the handlers registered by <paramref name="configure"/>.</summary>
    protected void Become(Action configure) => Become(Build(configure).TryHandle);

    /// <summary>Pushes the handlers registered by <paramref name="configure"/>; <see cref="ActorBase.UnbecomeStacked"/> pops them.</summary>
    protected void BecomeStacked(Action configure) => BecomeStacked(Build(configure).TryHandle);

    /// <summary>Akka.NET's name for <see cref="ActorBase.UnbecomeStacked"/>.</summary>
    protected void Unbecome() => UnbecomeStacked();

    private HandlerSet Build(Action configure)
    {
        var set = new HandlerSet();
        var outer = building;
        building = set;
        try { configure(); }
        finally { building = outer; }
        return set;
    }

    /// <summary>Handlers tried in registration order: a few type checks, no allocation per message.</summary>
    private sealed class HandlerSet
    {
        private Handler[] handlers = [];

        public void Add(Handler handler) => handlers = [.. handlers, handler];

        public bool TryHandle(object message)
        {
            foreach (var handler in handlers)
                if (handler.TryHandle(message)) return true;
            return false;
        }
    }

    private abstract class Handler
    {
        public abstract bool TryHandle(object message);
    }

    private sealed class ActionHandler<T>(Action<T> action, Predicate<T>? shouldHandle) : Handler
    {
        public override bool TryHandle(object message)
        {
            if (message is not T typed || (shouldHandle is not null && !shouldHandle(typed))) return false;
            action(typed);
            return true;
        }
    }

    private sealed class FuncHandler<T>(Func<T, bool> handler) : Handler
    {
        public override bool TryHandle(object message) => message is T typed && handler(typed);
    }
}
