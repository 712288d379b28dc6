using Aggregator.Actors.Kernel.Dispatch;

namespace Aggregator.Actors.Kernel;

/// <summary>Request/response over Tell: a temporary reference receives the reply (Akka's <c>Ask</c>).</summary>
public static class AskExtensions
{
    /// <summary>
    /// Sends <paramref name="message"/> and waits for one reply of type <typeparamref name="T"/>. A
    /// <see cref="Status.Failure"/> reply throws its cause; no reply in time throws <see cref="AskTimeoutException"/>
    /// (the timeout runs on the system's clock, so tests drive it with virtual time).
    /// </summary>
    public static async Task<T> Ask<T>(this IActorRef target, object message, TimeSpan timeout, ActorSystem system)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        var promise = new PromiseActorRef(system.TempPath());
        promise.StartTimer(system.TimeProvider, timeout,
            () => $"Ask timed out on {target.Path} after {timeout.TotalMilliseconds:0} ms waiting for a {typeof(T).Name} reply to {message.GetType().Name}.");
        target.Tell(message, promise);
        var reply = await promise.Task.ConfigureAwait(false);
        return reply is T typed
            ? typed
            : throw new InvalidCastException($"Ask to {target.Path} expected a {typeof(T).Name} reply to {message.GetType().Name} but got {reply.GetType().Name}.");
    }

    /// <summary>Ask using the system the target belongs to (local references only).</summary>
    public static Task<T> Ask<T>(this IActorRef target, object message, TimeSpan timeout) =>
        target is LocalActorRef local
            ? target.Ask<T>(message, timeout, local.Cell.System)
            : throw new ArgumentException($"Ask without an ActorSystem needs a local actor reference; {target.Path} is not one. Pass the system explicitly.", nameof(target));
}
