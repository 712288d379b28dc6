namespace Aggregator.Testing;

/// <summary>
/// A <see cref="TimeProvider"/> that only moves when a test calls <see cref="Advance"/>: timers (scheduler,
/// receive timeouts, ask timeouts, deadlines) fire in due order, each at its exact virtual moment, on the
/// advancing thread. Timeouts are tested without sleeping.
/// </summary>
public sealed class VirtualClock : TimeProvider
{
    private readonly object gate = new();
    private readonly List<VirtualTimer> timers = [];
    private readonly DateTimeOffset epoch;
    private long elapsedTicks;

    public VirtualClock(DateTimeOffset? start = null)
    {
        epoch = start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate) return epoch.AddTicks(elapsedTicks);
    }

    public override long GetTimestamp()
    {
        lock (gate) return elapsedTicks;
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Timers currently armed.</summary>
    public int PendingTimers
    {
        get { lock (gate) return timers.Count(t => t.DueAt is not null); }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new VirtualTimer(this, callback, state);
        lock (gate) timers.Add(timer); // listed before it is armed, so a concurrent Advance cannot miss it
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves time forward, firing every timer that falls due on the way, in order.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        long target;
        lock (gate) target = elapsedTicks + by.Ticks;
        while (true)
        {
            VirtualTimer? next;
            lock (gate)
            {
                next = timers.Where(t => t.DueAt is { } due && due <= target).MinBy(t => t.DueAt!.Value);
                if (next is null)
                {
                    elapsedTicks = target;
                    return;
                }
                elapsedTicks = Math.Max(elapsedTicks, next.DueAt!.Value);
                next.DueAt = next.Period is { } period ? next.DueAt + Math.Max(period.Ticks, 1) : null;
            }
            next.Fire();
        }
    }

    private void Remove(VirtualTimer timer)
    {
        lock (gate) timers.Remove(timer);
    }

    private sealed class VirtualTimer(VirtualClock clock, TimerCallback callback, object? state) : ITimer
    {
        private bool disposed;

        public long? DueAt { get; set; }
        public TimeSpan? Period { get; private set; }

        /// <summary>Re-arms; a timer due now fires at once (on the thread pool, as a real timer would), without an Advance.</summary>
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            bool dueNow;
            lock (clock.gate)
            {
                if (disposed) return false;
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : clock.elapsedTicks + Math.Max(0, dueTime.Ticks);
                Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period;
                dueNow = DueAt is { } due && due <= clock.elapsedTicks;
            }
            if (dueNow) ThreadPool.QueueUserWorkItem(static c => c.Advance(TimeSpan.Zero), clock, preferLocal: false);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (clock.gate)
            {
                disposed = true;
                DueAt = null;
            }
            clock.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
