using System.Collections.Concurrent;
using Aggregator.Actors.Kernel;
using Aggregator.Testing;

namespace Aggregator.Actors.Tests.Kernel;

public sealed class CoordinatedShutdownTests : TestKit
{
    private static readonly TimeSpan RealTimeBudget = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Phases_run_in_order_and_the_last_one_stops_the_actors()
    {
        var log = new ConcurrentQueue<string>();
        var shutdown = Sys.CoordinatedShutdown;
        shutdown.AddTask(CoordinatedShutdown.Phases.BeforeActorSystemTerminate, "flush", _ => { log.Enqueue("flush"); return Task.CompletedTask; });
        shutdown.AddTask(CoordinatedShutdown.Phases.ServiceUnbind, "unbind", async _ => { await Task.Yield(); log.Enqueue("unbind"); });
        shutdown.AddTask(CoordinatedShutdown.Phases.ServiceStop, "stop", _ => { log.Enqueue("stop"); return Task.CompletedTask; });
        var actor = Sys.ActorOf(Props.Create<EchoActor>());
        Watch(actor);

        await Sys.Terminate().WaitAsync(RealTimeBudget);

        Assert.Equal(["unbind", "stop", "flush"], log);
        Assert.Equal(CoordinatedShutdown.Phases.InOrder, shutdown.CompletedPhases);
        Assert.Equal(ShutdownReason.ActorSystemTerminate, shutdown.Reason);
        ExpectTerminated(actor);
    }

    [Fact]
    public async Task A_phase_that_overruns_its_timeout_is_abandoned_and_the_next_runs()
    {
        var shutdown = Sys.CoordinatedShutdown;
        var timeout = shutdown.PhaseTimeout(CoordinatedShutdown.Phases.ServiceStop);
        var cancelled = new TaskCompletionSource();
        var never = new TaskCompletionSource();
        shutdown.AddTask(CoordinatedShutdown.Phases.ServiceStop, "hangs", token =>
        {
            token.Register(() => cancelled.TrySetResult());
            return never.Task; // ignores its token: only the phase timeout can get past it
        });
        var nextRan = new TaskCompletionSource();
        shutdown.AddTask(CoordinatedShutdown.Phases.BeforeActorSystemTerminate, "next", _ => { nextRan.TrySetResult(); return Task.CompletedTask; });

        var run = shutdown.Run(ShutdownReason.Requested);
        AwaitCondition(() => shutdown.CompletedPhases.Contains(CoordinatedShutdown.Phases.ServiceRequestsDone));
        Assert.DoesNotContain(CoordinatedShutdown.Phases.ServiceStop, shutdown.CompletedPhases);
        Clock.Advance(timeout - TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);
        Assert.False(nextRan.Task.IsCompleted);

        Clock.Advance(TimeSpan.FromMilliseconds(1));
        await cancelled.Task.WaitAsync(RealTimeBudget);
        await nextRan.Task.WaitAsync(RealTimeBudget);
        await run.WaitAsync(RealTimeBudget);
    }

    [Fact]
    public async Task Shutdown_runs_once_and_refuses_late_tasks()
    {
        var runs = 0;
        Sys.CoordinatedShutdown.AddTask(CoordinatedShutdown.Phases.ServiceStop, "count", _ => { Interlocked.Increment(ref runs); return Task.CompletedTask; });
        var first = Sys.Terminate();
        var second = Sys.CoordinatedShutdown.Run(ShutdownReason.Requested);
        await Task.WhenAll(first, second).WaitAsync(RealTimeBudget);
        Assert.Equal(1, runs);
        Assert.Throws<InvalidOperationException>(() =>
            Sys.CoordinatedShutdown.AddTask(CoordinatedShutdown.Phases.ServiceStop, "late", _ => Task.CompletedTask));
    }

    [Fact]
    public void Unknown_phases_are_refused_with_the_known_ones_listed()
    {
        var error = Assert.Throws<ArgumentException>(() => Sys.CoordinatedShutdown.AddTask("no-such-phase", "x", _ => Task.CompletedTask));
        Assert.Contains(CoordinatedShutdown.Phases.ServiceUnbind, error.Message);
    }

    [Fact]
    public async Task A_failing_task_does_not_stop_the_shutdown()
    {
        Sys.CoordinatedShutdown.AddTask(CoordinatedShutdown.Phases.ServiceUnbind, "throws", _ => throw new InvalidOperationException("broken"));
        await Sys.Terminate().WaitAsync(RealTimeBudget);
        Assert.True(Sys.WhenTerminated.IsCompleted);
    }
}
