namespace Aggregator.Actors.Kernel.Scheduling;

/// <summary>
/// The scheduler behind <see cref="ActorSystem.Scheduler"/>: each schedule is one <see cref="ITimer"/> from the
/// system's <see cref="TimeProvider"/>. After the system terminates, pending schedules fire into nothing and stop.
/// </summary>
internal sealed class Scheduler(TimeProvider clock, Func<bool> systemTerminated) : IScheduler
{
    public ICancelable ScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef? sender) =>
        Start(delay, Timeout.InfiniteTimeSpan, () => receiver.Tell(message, sender));

    public ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef? sender)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        return Start(initialDelay, interval, () => receiver.Tell(message, sender));
    }

    public ICancelable ScheduleOnce(TimeSpan delay, Action action) => Start(delay, Timeout.InfiniteTimeSpan, action);

    private Scheduled Start(TimeSpan delay, TimeSpan period, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
        var scheduled = new Scheduled(action, repeats: period != Timeout.InfiniteTimeSpan, systemTerminated);
        scheduled.Arm(clock, delay, period);
        return scheduled;
    }

    private sealed class Scheduled(Action action, bool repeats, Func<bool> systemTerminated) : ICancelable
    {
        private ITimer? timer;
        private int cancelled;

        public bool IsCancellationRequested => Volatile.Read(ref cancelled) != 0;

        public void Arm(TimeProvider clock, TimeSpan delay, TimeSpan period)
        {
            var created = clock.CreateTimer(static state => ((Scheduled)state!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            Volatile.Write(ref timer, created);
            created.Change(delay, period); // armed only once the field is set, so Fire can always dispose it
        }

        public void Cancel()
        {
            if (Interlocked.Exchange(ref cancelled, 1) == 0) Volatile.Read(ref timer)?.Dispose();
        }

        private void Fire()
        {
            if (IsCancellationRequested) return;
            if (systemTerminated())
            {
                Cancel();
                return;
            }
            if (!repeats) Volatile.Read(ref timer)?.Dispose();
            action();
        }
    }
}
