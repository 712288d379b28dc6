using Aggregator.Actors.Kernel.Supervision;
using Serilog;

namespace Aggregator.Actors.Kernel;

/// <summary>Options of an <see cref="ActorSystem"/>; the defaults suit a service, the TestKit swaps the clock.</summary>
public sealed record ActorSystemSettings
{
    public static ActorSystemSettings Default { get; } = new();

    /// <summary>Source of time for the scheduler, receive timeouts, ask timeouts, restart windows and shutdown timeouts.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>User messages an actor processes per turn before yielding its thread (fairness against throughput).</summary>
    public int Throughput { get; init; } = 100;

    /// <summary>
    /// A message that takes longer than this counts as slow in the per-actor instrumentation. Measured on the
    /// coarse tick count (a few ms resolution) to keep the hot path cheap, so it must be at least 10 ms.
    /// </summary>
    public TimeSpan SlowMessageThreshold { get; init; } = TimeSpan.FromMilliseconds(100);

    public SupervisorStrategy DefaultSupervisorStrategy { get; init; } = SupervisorStrategy.Default;

    /// <summary>Serilog logger for kernel events (failures, dead letters, unhandled messages, shutdown).</summary>
    public ILogger Logger { get; init; } = Serilog.Core.Logger.None;

    /// <summary>At most this many dead-letter and unhandled-message log lines per <see cref="LogRateWindow"/>; the rest are counted.</summary>
    public int LogRateLimit { get; init; } = 10;
    public TimeSpan LogRateWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Default timeout of a coordinated shutdown phase.</summary>
    public TimeSpan DefaultPhaseTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Per-phase timeouts that differ from <see cref="DefaultPhaseTimeout"/>.</summary>
    public IReadOnlyDictionary<string, TimeSpan> PhaseTimeouts { get; init; } = new Dictionary<string, TimeSpan>();

    /// <summary>Run coordinated shutdown on SIGTERM, SIGINT and process exit (off in tests).</summary>
    public bool RunCoordinatedShutdownOnExitSignals { get; init; } = true;

    internal void Validate()
    {
        if (Throughput <= 0) throw new ArgumentOutOfRangeException(nameof(Throughput), Throughput, "Throughput must be positive.");
        if (SlowMessageThreshold < TimeSpan.FromMilliseconds(10))
            throw new ArgumentOutOfRangeException(nameof(SlowMessageThreshold), SlowMessageThreshold, "Must be at least 10 ms: slow messages are timed on the coarse tick count.");
        if (LogRateLimit < 0) throw new ArgumentOutOfRangeException(nameof(LogRateLimit), LogRateLimit, "Must not be negative.");
    }
}
