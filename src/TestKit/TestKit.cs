using Aggregator.Actors.Kernel;
using Serilog;
using Xunit.Abstractions;

namespace Aggregator.Testing;

/// <summary>
/// Base class for actor tests under xunit (Akka.TestKit.Xunit2's shape): a fresh <see cref="ActorSystem"/> on a
/// <see cref="VirtualClock"/> per test, a <see cref="TestActor"/> to receive at, probes, and expectations.
/// The system is terminated when the test is disposed.
/// </summary>
public abstract class TestKit : IDisposable
{
    private static readonly TimeSpan TerminationBudget = TimeSpan.FromSeconds(10);
    private readonly TestProbe testActor;
    private int probeNumber;

    /// <param name="output">When given, kernel logs (failures, dead letters) go to the test's output.</param>
    /// <param name="configure">Adjusts the settings (the clock is already the virtual one).</param>
    /// <param name="defaultTimeout">How long Expect calls wait by default (real time).</param>
    protected TestKit(ITestOutputHelper? output = null, Func<ActorSystemSettings, ActorSystemSettings>? configure = null, TimeSpan? defaultTimeout = null)
    {
        Clock = new VirtualClock();
        DefaultTimeout = defaultTimeout ?? TimeSpan.FromSeconds(3);
        var settings = new ActorSystemSettings
        {
            TimeProvider = Clock,
            RunCoordinatedShutdownOnExitSignals = false,
            Logger = output is null
                ? Serilog.Core.Logger.None
                : new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(new TestOutputSink(output)).CreateLogger(),
        };
        Sys = ActorSystem.Create("test", configure?.Invoke(settings) ?? settings);
        testActor = CreateTestProbe("testActor");
    }

    public ActorSystem Sys { get; }
    public VirtualClock Clock { get; }
    public TimeSpan DefaultTimeout { get; }

    /// <summary>The default probe; use it as the sender of test messages (<c>actor.Tell(msg, TestActor)</c>).</summary>
    public IActorRef TestActor => testActor.Ref;

    public IActorRef? LastSender => testActor.LastSender;

    public TestProbe CreateTestProbe(string? name = null) =>
        new(Sys, name ?? $"probe-{Interlocked.Increment(ref probeNumber)}", DefaultTimeout);

    public T ExpectMsg<T>(TimeSpan? timeout = null) => testActor.ExpectMsg<T>(timeout);
    public T ExpectMsg<T>(Predicate<T> predicate, TimeSpan? timeout = null) => testActor.ExpectMsg(predicate, timeout);
    public T ExpectMsg<T>(T expected, TimeSpan? timeout = null) where T : notnull => testActor.ExpectMsg(expected, timeout);
    public void ExpectNoMsg(TimeSpan duration) => testActor.ExpectNoMsg(duration);
    public Terminated ExpectTerminated(IActorRef target, TimeSpan? timeout = null) => testActor.ExpectTerminated(target, timeout);
    public object FishForMessage(Predicate<object> isTheOne, TimeSpan? timeout = null) => testActor.FishForMessage(isTheOne, timeout);
    public T FishForMessage<T>(Predicate<T> isTheOne, TimeSpan? timeout = null) => testActor.FishForMessage(isTheOne, timeout);
    public IReadOnlyList<object> ReceiveN(int count, TimeSpan? timeout = null) => testActor.ReceiveN(count, timeout);
    public void Within(TimeSpan max, Action action) => testActor.Within(max, action);
    public T Within<T>(TimeSpan max, Func<T> action) => testActor.Within(max, action);
    public void AwaitAssert(Action assertion, TimeSpan? duration = null, TimeSpan? interval = null) => testActor.AwaitAssert(assertion, duration, interval);
    public void AwaitCondition(Func<bool> condition, TimeSpan? duration = null, string? message = null) => testActor.AwaitCondition(condition, duration, message);
    public IActorRef Watch(IActorRef target) => testActor.Watch(target);
    public void AwaitStarted(IActorRef target, TimeSpan? timeout = null) => testActor.AwaitStarted(target, timeout);

    /// <summary>Terminates the system; fails the test if it does not terminate (some actor's PostStop hangs).</summary>
    public void Dispose()
    {
        var termination = Sys.Terminate();
        // Shutdown phase timeouts run on the virtual clock: if the system is stuck, move time so they expire.
        var deadline = DateTime.UtcNow + TerminationBudget;
        while (!termination.Wait(TimeSpan.FromMilliseconds(50)))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Actor system did not terminate within {TerminationBudget.TotalSeconds} s.");
            Clock.Advance(TimeSpan.FromSeconds(1));
        }
        GC.SuppressFinalize(this);
    }
}
