using System.Runtime.InteropServices;
using Aggregator.Actors.Kernel.Dispatch;
using Aggregator.Actors.Kernel.Events;
using Aggregator.Actors.Kernel.Instrumentation;
using Aggregator.Actors.Kernel.Scheduling;
using Serilog;

namespace Aggregator.Actors.Kernel;

/// <summary>
/// A hierarchy of actors sharing a clock, scheduler, dead-letter office, instrumentation and shutdown sequence.
/// Top-level actors live under <c>/user</c>; <see cref="Terminate"/> stops them all, children before parents.
/// </summary>
public sealed class ActorSystem : IAsyncDisposable
{
    private readonly TaskCompletionSource terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly LocalActorRef userGuardian;
    private readonly LocalActorRef systemGuardian;
    private readonly ActorPath root;
    private readonly LogRateLimiter unhandledLogLimiter;
    private readonly List<IDisposable> exitHooks = [];
    private long unhandled;
    private long tempNumber;

    private ActorSystem(string name, ActorSystemSettings settings)
    {
        settings.Validate();
        Name = name;
        Settings = settings;
        Log = settings.Logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "Aggregator.Actors.Kernel").ForContext("ActorSystem", name);
        TimeProvider = settings.TimeProvider;
        EventStream = new EventStream();
        DeadLetterOffice = new DeadLetterOffice(Log, EventStream, new LogRateLimiter(settings.LogRateLimit, settings.LogRateWindow, TimeProvider));
        unhandledLogLimiter = new LogRateLimiter(settings.LogRateLimit, settings.LogRateWindow, TimeProvider);
        Instrumentation = new KernelInstrumentation(this, settings.SlowMessageThreshold);
        Scheduler = new Scheduler(TimeProvider, () => terminated.Task.IsCompleted);
        CoordinatedShutdown = new CoordinatedShutdown(TimeProvider, Log,
            phase => settings.PhaseTimeouts.TryGetValue(phase, out var timeout) ? timeout : settings.DefaultPhaseTimeout);

        root = ActorPath.Root(name);
        DeadLetters = new DeadLettersRef(root.Child("deadLetters"), DeadLetterOffice);
        var rootRef = new RootRef(root, Log, OnGuardianStopped);
        userGuardian = new LocalActorRef(root.Child("user"));
        systemGuardian = new LocalActorRef(root.Child("system"));
        new ActorCell(this, userGuardian, Props.Create<GuardianActor>(), rootRef).Start();
        new ActorCell(this, systemGuardian, Props.Create<GuardianActor>(), rootRef).Start();

        CoordinatedShutdown.AddTask(CoordinatedShutdown.Phases.ActorSystemTerminate, "stop-actors", StopGuardiansAsync);
        if (settings.RunCoordinatedShutdownOnExitSignals) HookExitSignals();
    }

    /// <summary>Creates and starts a system; names appear in every actor path (<c>aggregator://name/user/…</c>).</summary>
    public static ActorSystem Create(string name, ActorSystemSettings? settings = null)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains('/'))
            throw new ArgumentException($"Actor system name '{name}' must be non-empty and contain no '/'.", nameof(name));
        return new ActorSystem(name, settings ?? ActorSystemSettings.Default);
    }

    public string Name { get; }
    public ActorSystemSettings Settings { get; }
    public TimeProvider TimeProvider { get; }
    public IScheduler Scheduler { get; }
    public EventStream EventStream { get; }
    public DeadLetterOffice DeadLetterOffice { get; }
    public KernelInstrumentation Instrumentation { get; }
    public CoordinatedShutdown CoordinatedShutdown { get; }
    public ILogger Log { get; }

    /// <summary>Where replies to no sender go; Tell to it counts a dead letter.</summary>
    public IActorRef DeadLetters { get; }

    /// <summary>Unhandled messages since start.</summary>
    public long UnhandledCount => Interlocked.Read(ref unhandled);

    /// <summary>Completes when every actor has stopped.</summary>
    public Task WhenTerminated => terminated.Task;

    /// <summary>Creates a top-level actor under <c>/user</c>. Safe from any thread.</summary>
    public IActorRef ActorOf(Props props, string? name = null) => userGuardian.Cell.ActorOf(props, name);

    /// <summary>Stops an actor: the message in progress finishes, children stop first, later messages become dead letters.</summary>
    public void Stop(IActorRef actor)
    {
        if (actor is InternalActorRef target) target.SendSystemMessage(new Terminate());
    }

    /// <summary>Runs coordinated shutdown (its last phase stops all actors) and completes when the system has terminated.</summary>
    public Task Terminate() => CoordinatedShutdown.Run(ShutdownReason.ActorSystemTerminate).ContinueWith(_ => WhenTerminated, TaskScheduler.Default).Unwrap();

    public async ValueTask DisposeAsync()
    {
        await Terminate().ConfigureAwait(false);
        foreach (var hook in exitHooks) hook.Dispose();
    }

    internal ActorPath TempPath() => root.Child("temp").Child("$" + Interlocked.Increment(ref tempNumber));

    internal void OnUnhandled(UnhandledMessage message)
    {
        Interlocked.Increment(ref unhandled);
        if (unhandledLogLimiter.TryAcquire(out var suppressed))
            Log.Warning("Unhandled {MessageType} from {Sender} in {Recipient}{Suppressed}",
                message.Message.GetType().Name, message.Sender?.Path.ToString() ?? "nobody", message.Recipient.Path.ToString(),
                suppressed > 0 ? $" ({suppressed} more not logged)" : "");
        EventStream.Publish(message);
    }

    private Task StopGuardiansAsync(CancellationToken cancellation)
    {
        userGuardian.SendSystemMessage(new Terminate());
        return terminated.Task.WaitAsync(cancellation);
    }

    private void OnGuardianStopped(InternalActorRef guardian)
    {
        if (guardian.Equals(userGuardian)) systemGuardian.SendSystemMessage(new Terminate());
        else if (guardian.Equals(systemGuardian))
        {
            Log.Debug("Actor system {Name} terminated", Name);
            terminated.TrySetResult();
        }
    }

    private void HookExitSignals()
    {
        void OnSignal(PosixSignalContext _) => RunOnExit();
        exitHooks.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal));
        exitHooks.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal));
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        exitHooks.Add(new Unsubscribe(() => AppDomain.CurrentDomain.ProcessExit -= OnProcessExit));
    }

    private void OnProcessExit(object? sender, EventArgs e) => RunOnExit();

    /// <summary>Blocks the exiting thread until shutdown finished or every phase's timeout has passed.</summary>
    private void RunOnExit()
    {
        var budget = Settings.DefaultPhaseTimeout * CoordinatedShutdown.Phases.InOrder.Count;
        CoordinatedShutdown.Run(ShutdownReason.ProcessExit).Wait(budget);
    }

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
