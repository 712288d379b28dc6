using System.Diagnostics;
using Aggregator.Actors.Kernel;
using Aggregator.Actors.Kernel.Dispatch;
using Xunit.Sdk;

namespace Aggregator.Testing;

/// <summary>
/// A reference tests can send from and receive at, with expectations that wait in real time (bounded) and
/// fail with what was expected and what arrived. The Akka.TestKit <c>TestProbe</c>, ours. Its actor
/// reference is <see cref="Ref"/>: pass that as a sender or recipient (the probe itself is not a reference,
/// so there is exactly one identity to compare and watch).
/// </summary>
public sealed class TestProbe
{
    private static readonly AsyncLocal<DateTime?> WithinDeadline = new();
    private readonly ProbeRef probe;
    private readonly ActorSystem system;

    internal TestProbe(ActorSystem system, string name, TimeSpan defaultTimeout)
    {
        this.system = system;
        DefaultTimeout = defaultTimeout;
        probe = new ProbeRef(system.DeadLetters.Path.Parent!.Child("probes").Child(name));
    }

    public ActorPath Path => probe.Path;
    public IActorRef Ref => probe;
    public TimeSpan DefaultTimeout { get; }

    /// <summary>The sender of the last message taken by an Expect or Receive.</summary>
    public IActorRef? LastSender { get; private set; }

    public override string ToString() => probe.ToString();

    /// <summary>Sends to <paramref name="target"/> with this probe as the sender.</summary>
    public void Send(IActorRef target, object message) => target.Tell(message, probe);

    /// <summary>Replies to <see cref="LastSender"/>.</summary>
    public void Reply(object message) =>
        (LastSender ?? throw new InvalidOperationException("No message has been received yet, so there is nobody to reply to.")).Tell(message, probe);

    /// <summary>Watches <paramref name="target"/>; its <see cref="Terminated"/> arrives in this probe's queue.</summary>
    public IActorRef Watch(IActorRef target)
    {
        if (target is not InternalActorRef watched)
            throw new ArgumentException($"{target.Path} is not a reference of this kernel and cannot be watched.", nameof(target));
        watched.SendSystemMessage(new Watch(watched, probe));
        return target;
    }

    public T ExpectMsg<T>(TimeSpan? timeout = null) => ExpectMsg<T>(static _ => true, timeout, "any");

    public T ExpectMsg<T>(Predicate<T> predicate, TimeSpan? timeout = null) => ExpectMsg(predicate, timeout, "one matching the predicate");

    /// <summary>Expects a message equal to <paramref name="expected"/>.</summary>
    public T ExpectMsg<T>(T expected, TimeSpan? timeout = null) where T : notnull =>
        ExpectMsg<T>(m => Equals(m, expected), timeout, $"equal to {expected}");

    private T ExpectMsg<T>(Predicate<T> predicate, TimeSpan? timeout, string what)
    {
        var max = RemainingOr(timeout);
        if (!TryTake(max, out var message, out var sender))
            throw new XunitException($"Expected a {typeof(T).Name} ({what}) at {Path.Name} within {Format(max)}, but no message arrived.");
        if (message is not T typed)
            throw new XunitException($"Expected a {typeof(T).Name} ({what}) at {Path.Name}, but received {Describe(message, sender)}.");
        if (!predicate(typed))
            throw new XunitException($"Expected a {typeof(T).Name} ({what}) at {Path.Name}, but received {Describe(message, sender)}, which does not match.");
        return typed;
    }

    /// <summary>Asserts that nothing arrives for <paramref name="duration"/> (real time: keep it short).</summary>
    public void ExpectNoMsg(TimeSpan duration)
    {
        if (TryTake(duration, out var message, out var sender))
            throw new XunitException($"Expected no message at {Path.Name} for {Format(duration)}, but received {Describe(message, sender)}.");
    }

    /// <summary>Expects <see cref="Terminated"/> for <paramref name="target"/> (watch it first).</summary>
    public Terminated ExpectTerminated(IActorRef target, TimeSpan? timeout = null) =>
        ExpectMsg<Terminated>(t => t.ActorRef.Equals(target), timeout, $"for {target.Path}");

    /// <summary>Skips messages until one satisfies <paramref name="isTheOne"/>; fails if none does in time.</summary>
    public object FishForMessage(Predicate<object> isTheOne, TimeSpan? timeout = null)
    {
        var max = RemainingOr(timeout);
        var deadline = Stopwatch.GetTimestamp() + (long)(max.TotalSeconds * Stopwatch.Frequency);
        var skipped = new List<string>();
        while (true)
        {
            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (left < TimeSpan.Zero || !TryTake(left, out var message, out var sender))
                throw new XunitException($"Fished at {Path.Name} for {Format(max)} without a match; skipped: [{string.Join(", ", skipped)}].");
            if (isTheOne(message)) return message;
            skipped.Add(Describe(message, sender));
        }
    }

    public T FishForMessage<T>(Predicate<T> isTheOne, TimeSpan? timeout = null) =>
        (T)FishForMessage(m => m is T typed && isTheOne(typed), timeout);

    /// <summary>Takes exactly <paramref name="count"/> messages of any type, failing with what had arrived if they do not come in time.</summary>
    public IReadOnlyList<object> ReceiveN(int count, TimeSpan? timeout = null)
    {
        var max = RemainingOr(timeout);
        var deadline = Stopwatch.GetTimestamp() + (long)(max.TotalSeconds * Stopwatch.Frequency);
        var received = new List<object>(count);
        while (received.Count < count)
        {
            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (left < TimeSpan.Zero || !TryTake(left, out var message, out _))
                throw new XunitException($"Expected {count} messages at {Path.Name} within {Format(max)}, but received {received.Count}.");
            received.Add(message);
        }
        return received;
    }

    /// <summary>Runs <paramref name="action"/>, which must finish within <paramref name="max"/>; Expect calls inside wait at most the time left.</summary>
    public void Within(TimeSpan max, Action action) => Within(max, () => { action(); return 0; });

    public T Within<T>(TimeSpan max, Func<T> action)
    {
        var outer = WithinDeadline.Value;
        var deadline = DateTime.UtcNow + max;
        WithinDeadline.Value = outer is { } o && o < deadline ? o : deadline;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = action();
            var took = Stopwatch.GetElapsedTime(started);
            if (took > max) throw new XunitException($"Expected the block to finish within {Format(max)}, but it took {Format(took)}.");
            return result;
        }
        finally
        {
            WithinDeadline.Value = outer;
        }
    }

    /// <summary>Retries <paramref name="assertion"/> until it passes or <paramref name="duration"/> runs out (then rethrows its last failure).</summary>
    public void AwaitAssert(Action assertion, TimeSpan? duration = null, TimeSpan? interval = null)
    {
        var max = RemainingOr(duration);
        var pause = interval ?? TimeSpan.FromMilliseconds(10);
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                assertion();
                return;
            }
            catch (Exception) when (Stopwatch.GetElapsedTime(started) < max)
            {
                Thread.Sleep(pause);
            }
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing with <paramref name="message"/> if it does not in time.</summary>
    public void AwaitCondition(Func<bool> condition, TimeSpan? duration = null, string? message = null) =>
        AwaitAssert(() =>
        {
            if (!condition()) throw new XunitException(message ?? "Condition did not become true in time.");
        }, duration);

    /// <summary>Returns once <paramref name="target"/> has started (it answered <see cref="Identify"/>), e.g. before advancing virtual time.</summary>
    public void AwaitStarted(IActorRef target, TimeSpan? timeout = null)
    {
        var id = Guid.NewGuid();
        Send(target, new Identify(id));
        ExpectMsg<ActorIdentity>(i => Equals(i.MessageId, id), timeout, $"from {target.Path}");
    }

    private bool TryTake(TimeSpan timeout, out object message, out IActorRef? sender)
    {
        if (timeout < TimeSpan.Zero) timeout = TimeSpan.Zero;
        if (probe.Queue.TryTake(out var item, timeout))
        {
            (message, sender) = item;
            LastSender = sender;
            return true;
        }
        message = null!;
        sender = null;
        return false;
    }

    private TimeSpan RemainingOr(TimeSpan? timeout)
    {
        var wanted = timeout ?? DefaultTimeout;
        if (WithinDeadline.Value is not { } deadline) return wanted;
        var left = deadline - DateTime.UtcNow;
        return left < wanted ? (left < TimeSpan.Zero ? TimeSpan.Zero : left) : wanted;
    }

    private static string Describe(object message, IActorRef? sender) =>
        $"{message.GetType().Name} {message} from {sender?.Path.ToString() ?? "nobody"}";

    private static string Format(TimeSpan span) => span.TotalSeconds >= 1 ? $"{span.TotalSeconds:0.###} s" : $"{span.TotalMilliseconds:0} ms";

    internal ActorSystem System => system;
}
