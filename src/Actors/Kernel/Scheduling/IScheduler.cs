namespace Aggregator.Actors.Kernel.Scheduling;

/// <summary>Delayed and periodic Tells, on the system's <see cref="TimeProvider"/> so tests can drive them with virtual time.</summary>
public interface IScheduler
{
    ICancelable ScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef? sender);

    ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef? sender);

    /// <summary>Runs an action once after the delay, on a timer thread (keep it short; prefer Tell).</summary>
    ICancelable ScheduleOnce(TimeSpan delay, Action action);
}
