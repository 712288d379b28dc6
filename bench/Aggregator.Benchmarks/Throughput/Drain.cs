using System.Diagnostics;
using Aggregator.Actors.Kernel;
using Aggregator.Benchmarks.Baselines;

namespace Aggregator.Benchmarks.Throughput;

/// <summary>
/// Diagnostic shape (not part of <c>all</c>): separates the two halves of fan-in. The receiver is held (spinning in
/// a handler) while one producer thread queues a backlog — the <b>fill</b> rate: a Tell into a mailbox that is already
/// scheduled, no contention — then released; the time to process the backlog is the <b>drain</b> rate: the consumer's
/// own per-message cost (dequeue, dispatch, instrumentation) with no producer competing for a core. A round repeats
/// this cycle until it has moved its messages, so the backlog size is a knob: one that fits the kernel's largest ring
/// (2,048 slots) measures the steady state, a large one adds the cost of growing the queue.
/// </summary>
internal static class Drain
{
    public enum Phase { Fill, Drain }

    public static IThroughputVariant Kernel(Phase phase, int backlog, ActorSystemSettings settings, bool plainActor = false) =>
        new KernelVariant(phase, backlog, settings, plainActor);
    public static IThroughputVariant Channel(Phase phase, int backlog) => new ChannelVariant(phase, backlog);

    /// <summary>Runs fill-then-drain cycles against any receiver reachable through <paramref name="tell"/>; returns the phase asked for.</summary>
    private static async Task<RoundResult> RunAsync(Phase phase, int backlog, long messages, TimeSpan timeout, Action<object> tell, Func<string> progress)
    {
        var cycles = Math.Max(1, messages / backlog);
        long fillTicks = 0, drainTicks = 0;
        var payload = new Payload();
        for (var cycle = 0L; cycle < cycles; cycle++)
        {
            var latch = new RoundLatch(1);
            var hold = new Hold();
            tell(new Quota(backlog, latch));
            tell(hold);
            var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
            var spinner = new SpinWait();
            while (!hold.IsHolding)
            {
                if (Stopwatch.GetTimestamp() > deadline) throw new RoundTimeoutException($"receiver never started holding; {progress()}");
                spinner.SpinOnce(sleep1Threshold: -1);
            }

            var fillStarted = Stopwatch.GetTimestamp();
            for (var i = 0; i < backlog; i++) tell(payload);
            var drainStarted = Stopwatch.GetTimestamp();
            hold.Release();
            await latch.WaitAsync(timeout, progress).ConfigureAwait(false);
            latch.VerifySum(backlog, $"drain ({phase})");
            fillTicks += drainStarted - fillStarted;
            drainTicks += latch.CompletedAt - drainStarted;
        }
        var ticks = phase == Phase.Fill ? fillTicks : drainTicks;
        return new RoundResult(cycles * backlog, TimeSpan.FromSeconds(ticks / (double)Stopwatch.Frequency));
    }

    private sealed class KernelVariant(Phase phase, int backlog, ActorSystemSettings settings, bool plainActor) : IThroughputVariant
    {
        private readonly ActorSystem system = ActorSystem.Create("bench-drain", settings);
        private IActorRef? sink;

        public string Name => (phase == Phase.Fill ? "kernel fill" : "kernel drain") + (plainActor ? " (ActorBase)" : "");

        public async Task<RoundResult> RunRoundAsync(long messages, TimeSpan timeout)
        {
            var target = sink ??= plainActor
                ? system.ActorOf(Props.Create(() => new PlainSummingActor()), "sink")
                : system.ActorOf(Props.Create(() => new SummingActor()), "sink");
            var result = await RunAsync(phase, backlog, messages, timeout, m => target.Tell(m, ActorRefs.NoSender),
                () => KernelProgress.Describe(system, [target])).ConfigureAwait(false);
            KernelConservation.Verify(system, "kernel drain");
            return result;
        }

        public async ValueTask DisposeAsync() => await system.Terminate().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }

    private sealed class ChannelVariant : IThroughputVariant
    {
        private readonly Phase phase;
        private readonly int backlog;
        private readonly SummingChannelActor sink = new();

        public ChannelVariant(Phase phase, int backlog)
        {
            this.phase = phase;
            this.backlog = backlog;
            sink.Start();
        }

        public string Name => phase == Phase.Fill ? "channel fill" : "channel drain";

        public Task<RoundResult> RunRoundAsync(long messages, TimeSpan timeout) =>
            RunAsync(phase, backlog, messages, timeout, m => sink.Tell(m, null), () => $"channel reader processed {sink.Processed}");

        public async ValueTask DisposeAsync() => await sink.StopAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }
}
