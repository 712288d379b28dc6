namespace Aggregator.Actors.Kernel.Dispatch;

/// <summary>
/// Receive timeout: one timer per actor, re-armed lazily. Each message only records the time of activity;
/// when the timer fires it checks how long the actor has really been idle.
/// </summary>
internal sealed partial class ActorCell
{
    private TimeSpan? receiveTimeout;
    private ITimer? receiveTimer;
    private long lastActivity;

    public TimeSpan? ReceiveTimeout => receiveTimeout;

    public void SetReceiveTimeout(TimeSpan? timeout)
    {
        if (timeout is { } t && t <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "Receive timeout must be positive.");
        receiveTimeout = timeout;
        if (timeout is null)
        {
            CancelReceiveTimeout();
            return;
        }
        MarkActivity();
        receiveTimer ??= System.TimeProvider.CreateTimer(
            static state => ((ActorCell)state!).SelfRef.Tell(ReceiveTimeoutTick.Instance, null),
            this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        receiveTimer.Change(timeout.Value, Timeout.InfiniteTimeSpan);
    }

    private void MarkActivity() => lastActivity = System.TimeProvider.GetTimestamp();

    /// <summary>On a tick: true when the actor has been idle for the whole timeout (then the timer restarts); else re-arm for the rest.</summary>
    private bool ReceiveTimeoutElapsed()
    {
        if (receiveTimeout is not { } timeout || receiveTimer is null) return false;
        var idle = System.TimeProvider.GetElapsedTime(lastActivity);
        if (idle >= timeout)
        {
            MarkActivity();
            receiveTimer.Change(timeout, Timeout.InfiniteTimeSpan);
            return true;
        }
        receiveTimer.Change(timeout - idle, Timeout.InfiniteTimeSpan);
        return false;
    }

    private void CancelReceiveTimeout()
    {
        receiveTimeout = null;
        receiveTimer?.Dispose();
        receiveTimer = null;
    }
}

/// <summary>The receive-timeout timer's nudge; becomes <see cref="ReceiveTimeout"/> only if the actor was really idle.</summary>
internal sealed class ReceiveTimeoutTick : IAutoReceivedMessage, INotInfluenceReceiveTimeout
{
    public static readonly ReceiveTimeoutTick Instance = new();
    private ReceiveTimeoutTick() { }
}
