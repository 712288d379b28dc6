using Serilog;

namespace Aggregator.Actors.Kernel;

/// <summary>Why the system is shutting down.</summary>
public enum ShutdownReason { ActorSystemTerminate, ProcessExit, Requested }

/// <summary>
/// Ordered shutdown: named phases run one after another, the tasks of a phase concurrently, each phase bounded
/// by its timeout (a phase that overruns is logged and the next phase starts anyway). Runs once, on
/// <see cref="ActorSystem.Terminate"/> or a process exit signal; whoever asks later gets the same task.
/// </summary>
public sealed class CoordinatedShutdown
{
    /// <summary>The phases, in order (Akka.NET's names, those this service uses).</summary>
    public static class Phases
    {
        public const string BeforeServiceUnbind = "before-service-unbind";
        public const string ServiceUnbind = "service-unbind";
        public const string ServiceRequestsDone = "service-requests-done";
        public const string ServiceStop = "service-stop";
        public const string ClusterShardingShutdownRegion = "cluster-sharding-shutdown-region";
        public const string BeforeActorSystemTerminate = "before-actor-system-terminate";
        public const string ActorSystemTerminate = "actor-system-terminate";

        public static IReadOnlyList<string> InOrder { get; } =
        [
            BeforeServiceUnbind, ServiceUnbind, ServiceRequestsDone, ServiceStop,
            ClusterShardingShutdownRegion, BeforeActorSystemTerminate, ActorSystemTerminate,
        ];
    }

    private readonly object gate = new();
    private readonly Dictionary<string, List<(string Name, Func<CancellationToken, Task> Run)>> tasks = new();
    private readonly TimeProvider clock;
    private readonly ILogger log;
    private readonly Func<string, TimeSpan> timeoutOf;
    private Task? running;

    internal CoordinatedShutdown(TimeProvider clock, ILogger log, Func<string, TimeSpan> timeoutOf)
    {
        this.clock = clock;
        this.log = log;
        this.timeoutOf = timeoutOf;
        foreach (var phase in Phases.InOrder) tasks[phase] = [];
    }

    public ShutdownReason? Reason { get; private set; }

    /// <summary>Phases that ran to completion or timed out, in order (for inspection and tests).</summary>
    public IReadOnlyList<string> CompletedPhases => completed.ToArray();
    private readonly List<string> completed = [];

    /// <summary>The timeout of a phase; the task is cancelled through its token when it passes.</summary>
    public TimeSpan PhaseTimeout(string phase) => timeoutOf(phase);

    /// <summary>Registers work for a phase. Tasks added after the shutdown started are refused.</summary>
    public void AddTask(string phase, string taskName, Func<CancellationToken, Task> task)
    {
        ArgumentNullException.ThrowIfNull(task);
        lock (gate)
        {
            if (!tasks.TryGetValue(phase, out var list))
                throw new ArgumentException($"Unknown shutdown phase '{phase}'. Known phases: {string.Join(", ", Phases.InOrder)}.", nameof(phase));
            if (running is not null) throw new InvalidOperationException($"Shutdown already started; task '{taskName}' cannot be added to '{phase}'.");
            list.Add((taskName, task));
        }
    }

    /// <summary>Starts the shutdown (once) and returns the task that completes when the last phase has run.</summary>
    public Task Run(ShutdownReason reason)
    {
        lock (gate)
        {
            if (running is not null) return running;
            Reason = reason;
            running = Task.Run(() => RunPhases(reason));
            return running;
        }
    }

    private async Task RunPhases(ShutdownReason reason)
    {
        log.Information("Coordinated shutdown started ({Reason})", reason);
        foreach (var phase in Phases.InOrder)
        {
            (string Name, Func<CancellationToken, Task> Run)[] phaseTasks;
            lock (gate) phaseTasks = [.. tasks[phase]];
            if (phaseTasks.Length > 0)
            {
                var timeout = timeoutOf(phase);
                using var cancellation = new CancellationTokenSource(timeout, clock);
                var started = phaseTasks.Select(t => (t.Name, Task: Start(t.Run, cancellation.Token))).ToArray();
                var all = Task.WhenAll(started.Select(s => s.Task));
                var finished = await Task.WhenAny(all, Task.Delay(Timeout.InfiniteTimeSpan, cancellation.Token)).ConfigureAwait(false);
                if (finished != all)
                {
                    var late = started.Where(s => !s.Task.IsCompleted).Select(s => s.Name);
                    log.Warning("Shutdown phase {Phase} timed out after {Timeout}; unfinished: {Tasks}", phase, timeout, string.Join(", ", late));
                }
                foreach (var (name, task) in started.Where(s => s.Task.IsFaulted))
                    log.Error(task.Exception!.GetBaseException(), "Shutdown task {Task} in phase {Phase} failed", name, phase);
            }
            lock (gate) completed.Add(phase);
        }
        log.Information("Coordinated shutdown finished");
    }

    private static Task Start(Func<CancellationToken, Task> run, CancellationToken token)
    {
        try
        {
            return run(token);
        }
        catch (Exception exception)
        {
            return Task.FromException(exception);
        }
    }
}
