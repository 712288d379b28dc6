namespace Aggregator.Actors.Kernel.Supervision;

/// <summary>How a parent handles its children's failures: decides a <see cref="Directive"/> and bounds restarts.</summary>
public abstract class SupervisorStrategy
{
    /// <summary>
    /// Restart on any failure, at most 10 times a minute per child, then stop it; stop on failures to start,
    /// <see cref="Kill"/> and unhandled <see cref="Terminated"/> (restarting those would only repeat them).
    /// </summary>
    public static SupervisorStrategy Default { get; } = new OneForOneStrategy(10, TimeSpan.FromMinutes(1), DefaultDecider);

    /// <summary>Stops every failing child.</summary>
    public static SupervisorStrategy StoppingStrategy { get; } = new OneForOneStrategy(_ => Directive.Stop);

    public static Directive DefaultDecider(Exception cause) => cause switch
    {
        ActorInitializationException => Directive.Stop,
        ActorKilledException => Directive.Stop,
        DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    };

    /// <summary>Restarts allowed within <see cref="WithinTimeRange"/>; negative means unlimited.</summary>
    public abstract int MaxNrOfRetries { get; }

    /// <summary>The window for <see cref="MaxNrOfRetries"/>; null means for the life of the child.</summary>
    public abstract TimeSpan? WithinTimeRange { get; }

    public abstract Directive Decide(Exception cause);
}

/// <summary>Applies the directive to the failed child only (Akka's one-for-one).</summary>
public sealed class OneForOneStrategy : SupervisorStrategy
{
    private readonly Func<Exception, Directive> decider;

    public OneForOneStrategy(int maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> decider)
    {
        MaxNrOfRetries = maxNrOfRetries;
        WithinTimeRange = withinTimeRange;
        this.decider = decider;
    }

    public OneForOneStrategy(Func<Exception, Directive> decider) : this(-1, null, decider) { }

    public override int MaxNrOfRetries { get; }
    public override TimeSpan? WithinTimeRange { get; }
    public override Directive Decide(Exception cause) => decider(cause);
}

/// <summary>Restart bookkeeping a parent keeps per child, to enforce the strategy's limit in its window.</summary>
internal sealed class ChildRestartStats
{
    private int restartsInWindow;
    private long windowStart;

    /// <summary>Counts one restart; false when the limit for the window is exceeded (the child must stop).</summary>
    public bool RequestRestartPermission(SupervisorStrategy strategy, TimeProvider clock)
    {
        if (strategy.MaxNrOfRetries < 0) return true;
        if (strategy.MaxNrOfRetries == 0) return false;
        var now = clock.GetTimestamp();
        if (strategy.WithinTimeRange is { } window)
        {
            if (restartsInWindow == 0 || clock.GetElapsedTime(windowStart, now) > window)
            {
                windowStart = now;
                restartsInWindow = 0;
            }
        }
        restartsInWindow++;
        return restartsInWindow <= strategy.MaxNrOfRetries;
    }
}
