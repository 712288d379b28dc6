using System.Diagnostics;
using Aggregator.Actors.Kernel;
using Aggregator.Testing;

namespace Aggregator.Actors.Tests.Kernel;

public sealed class InstrumentationTests : TestKit
{
    public InstrumentationTests() : base(configure: s => s with { SlowMessageThreshold = TimeSpan.FromMilliseconds(20) }) { }

    private sealed record Work(TimeSpan Spin);

    /// <summary>Spins (busy, not sleeping) for the requested time, or blocks on a gate, then acknowledges.</summary>
    private sealed class Worker : ReceiveActor
    {
        public Worker(ManualResetEventSlim? gate = null, ManualResetEventSlim? entered = null)
        {
            Receive<Work>(w =>
            {
                var until = Stopwatch.GetTimestamp() + (long)(w.Spin.TotalSeconds * Stopwatch.Frequency);
                while (Stopwatch.GetTimestamp() < until) { }
                Sender.Tell("done");
            });
            Receive<string>(s => s == "block", _ =>
            {
                entered?.Set();
                gate!.Wait(TimeSpan.FromSeconds(20));
            });
            Receive<int>(_ => { });
        }
    }

    [Fact]
    public void Counts_messages_busy_time_slow_messages_and_sampled_histograms()
    {
        var worker = Sys.ActorOf(Props.Create(() => new Worker(null)), "worker");
        for (var i = 0; i < 64; i++) worker.Tell(new Work(TimeSpan.Zero), TestActor);
        ReceiveN(64);
        worker.Tell(new Work(TimeSpan.FromMilliseconds(60)), TestActor);
        ExpectMsg("done");

        // The reply leaves from inside the handler, so the counters may land a moment after it arrives.
        AwaitAssert(() =>
        {
            var snapshot = Sys.Instrumentation.Snapshot(worker)!;
            Assert.Equal(65, snapshot.MessagesProcessed);
            Assert.True(snapshot.BusyTime >= TimeSpan.FromMilliseconds(60), $"busy {snapshot.BusyTime}");
            Assert.Equal(1, snapshot.SlowMessages); // the 60 ms one, over the 20 ms threshold; the fast ones never are
            // Histograms sample the messages that carry an enqueue stamp: one position in 16 of the mailbox ring.
            Assert.InRange(snapshot.Processing.Total, 64 / 16, 65);
            Assert.Equal(snapshot.Processing.Total, snapshot.MailboxWait.Total);
            Assert.Equal("aggregator://test/user/worker", snapshot.Path);
            Assert.Equal(nameof(Worker), snapshot.ActorType);
        });
    }

    [Fact]
    public void A_slow_message_threshold_finer_than_the_coarse_clock_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ActorSystem.Create("x", new ActorSystemSettings { SlowMessageThreshold = TimeSpan.FromMilliseconds(2) }));
        Assert.Contains("10 ms", error.Message);
    }

    [Fact]
    public void Shows_mailbox_depth_its_peak_and_a_turn_in_progress()
    {
        using var gate = new ManualResetEventSlim();
        using var entered = new ManualResetEventSlim();
        var worker = Sys.ActorOf(Props.Create(() => new Worker(gate, entered)));
        try
        {
            worker.Tell("block");
            Assert.True(entered.Wait(TimeSpan.FromSeconds(10)), "the worker never started the blocking message");
            for (var i = 0; i < 40; i++) worker.Tell(i);

            var blocked = Sys.Instrumentation.Snapshot(worker)!;
            Assert.Equal(40, blocked.MailboxDepth);
            Assert.NotNull(blocked.InProgressFor);
            Assert.True(blocked.InProgressFor > TimeSpan.Zero);
            Assert.True(blocked.BusyTime >= blocked.InProgressFor!.Value - TimeSpan.FromMilliseconds(1), "busy time includes the turn in progress");
        }
        finally
        {
            gate.Set();
        }
        AwaitAssert(() =>
        {
            var drained = Sys.Instrumentation.Snapshot(worker)!;
            Assert.Equal(0, drained.MailboxDepth);
            Assert.Equal(41, drained.MessagesProcessed);
            // Sampled at the latest on the 16th message of the turn, when 25 were still queued.
            Assert.True(drained.PeakMailboxDepth >= 25, $"peak {drained.PeakMailboxDepth}");
        });
    }

    [Fact]
    public void Type_totals_keep_the_history_of_stopped_actors()
    {
        var worker = Sys.ActorOf(Props.Create(() => new Worker(null)));
        for (var i = 0; i < 5; i++) worker.Tell(new Work(TimeSpan.Zero), TestActor);
        ReceiveN(5);
        Watch(worker);
        Sys.Stop(worker);
        ExpectTerminated(worker);

        var type = Sys.Instrumentation.Snapshot().Types.Single(t => t.ActorType == nameof(Worker));
        Assert.Equal(0, type.LiveActors);
        Assert.Equal(5, type.MessagesProcessed);
        Assert.Equal(1, type.Processing.Total); // the first ring position is always sampled
        Assert.Null(Sys.Instrumentation.Snapshot(worker));
    }

    [Fact]
    public void Rates_are_computed_between_two_snapshots()
    {
        var worker = Sys.ActorOf(Props.Create(() => new Worker(null)));
        AwaitStarted(worker);
        var before = Sys.Instrumentation.Snapshot(worker)!;
        var started = Stopwatch.GetTimestamp();
        worker.Tell(new Work(TimeSpan.FromMilliseconds(50)), TestActor);
        ExpectMsg("done");
        AwaitAssert(() => Assert.Equal(before.MessagesProcessed + 1, Sys.Instrumentation.Snapshot(worker)!.MessagesProcessed));
        var after = Sys.Instrumentation.Snapshot(worker)!;
        var elapsed = Stopwatch.GetElapsedTime(started);

        var rates = after.RatesSince(before, elapsed);
        Assert.InRange(rates.Utilization, 0.01, 1.0);
        Assert.True(rates.MessagesPerSecond > 0);
    }

    [Fact]
    public void The_system_snapshot_lists_live_actors_and_gauges()
    {
        var before = Sys.Instrumentation.Snapshot().LiveActors;
        var workers = Enumerable.Range(0, 3).Select(_ => Sys.ActorOf(Props.Create(() => new Worker(null)))).ToArray();
        foreach (var worker in workers) AwaitStarted(worker);

        var snapshot = Sys.Instrumentation.Snapshot();
        Assert.Equal(before + 3, snapshot.LiveActors);
        Assert.Equal(snapshot.LiveActors, snapshot.Actors.Count);
        Assert.True(snapshot.ThreadPoolThreads > 0);
        Assert.True(snapshot.ThreadPoolQueueLength >= 0);
        Assert.Contains(snapshot.Types, t => t.ActorType == nameof(Worker) && t.LiveActors == 3);
    }
}
