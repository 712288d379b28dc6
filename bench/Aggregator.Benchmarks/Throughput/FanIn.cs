using Aggregator.Actors.Kernel;
using Aggregator.Benchmarks.Baselines;

namespace Aggregator.Benchmarks.Throughput;

/// <summary>
/// Fan-in: N producer threads each send their share of a round to one receiver, the shape of many contributors
/// feeding one entry or one sink shard. The round ends when the receiver has summed every message.
/// </summary>
internal static class FanIn
{
    public static IThroughputVariant Kernel(int producers, ActorSystemSettings settings) => new KernelVariant(producers, settings);
    public static IThroughputVariant Channel(int producers) => new ChannelVariant(producers);
    public static IThroughputVariant Interlocked(int producers) => new InterlockedVariant(producers);

    private static long PerProducer(long messages, int producers) => Math.Max(1, messages / producers);

    /// <summary>Producers Tell one <see cref="SummingActor"/> (no sender, as code outside an actor does).</summary>
    private sealed class KernelVariant(int producers, ActorSystemSettings settings) : IThroughputVariant
    {
        private readonly ActorSystem system = ActorSystem.Create("bench-fanin", settings);
        private IActorRef? sink;

        public string Name => "kernel";

        public async Task<RoundResult> RunRoundAsync(long messages, TimeSpan timeout)
        {
            var target = sink ??= system.ActorOf(Props.Create(() => new SummingActor()), "sink");
            var perProducer = PerProducer(messages, producers);
            var total = perProducer * producers;
            var latch = new RoundLatch(1);
            target.Tell(new Quota(total, latch), ActorRefs.NoSender);
            var threads = new ProducerThreads(producers, _ =>
            {
                var payload = new Payload();
                for (var i = 0L; i < perProducer; i++) target.Tell(payload, ActorRefs.NoSender);
            });
            var startedAt = threads.Release();
            await latch.WaitAsync(timeout, () => KernelProgress.Describe(system, [target])).ConfigureAwait(false);
            threads.Join(timeout);
            latch.VerifySum(total, "kernel fan-in");
            KernelConservation.Verify(system, "kernel fan-in");
            return new RoundResult(total, latch.ElapsedSince(startedAt));
        }

        public async ValueTask DisposeAsync() => await system.Terminate().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }

    /// <summary>Producers write to one <see cref="SummingChannelActor"/>'s unbounded single-reader channel.</summary>
    private sealed class ChannelVariant : IThroughputVariant
    {
        private readonly int producers;
        private readonly SummingChannelActor sink = new();

        public ChannelVariant(int producers)
        {
            this.producers = producers;
            sink.Start();
        }

        public string Name => "channel";

        public async Task<RoundResult> RunRoundAsync(long messages, TimeSpan timeout)
        {
            var perProducer = PerProducer(messages, producers);
            var total = perProducer * producers;
            var latch = new RoundLatch(1);
            sink.Tell(new Quota(total, latch), null);
            var threads = new ProducerThreads(producers, _ =>
            {
                var payload = new Payload();
                for (var i = 0L; i < perProducer; i++) sink.Tell(payload, null);
            });
            var startedAt = threads.Release();
            await latch.WaitAsync(timeout, () => $"channel reader processed {sink.Processed}").ConfigureAwait(false);
            threads.Join(timeout);
            latch.VerifySum(total, "channel fan-in");
            return new RoundResult(total, latch.ElapsedSince(startedAt));
        }

        public async ValueTask DisposeAsync() => await sink.StopAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }

    /// <summary>The same producers add each payload's value straight into one shared counter with Interlocked: no queue at all.</summary>
    private sealed class InterlockedVariant(int producers) : IThroughputVariant
    {
        private readonly PaddedCounters counter = new(1);

        public string Name => "interlocked";

        public async Task<RoundResult> RunRoundAsync(long messages, TimeSpan timeout)
        {
            var perProducer = PerProducer(messages, producers);
            var total = perProducer * producers;
            counter.Reset();
            var latch = new RoundLatch(producers);
            var threads = new ProducerThreads(producers, _ =>
            {
                var payload = new Payload();
                ref var shared = ref counter[0];
                for (var i = 0L; i < perProducer; i++) System.Threading.Interlocked.Add(ref shared, payload.Value);
                latch.Signal(0);
            });
            var startedAt = threads.Release();
            await latch.WaitAsync(timeout, () => $"counter at {counter.Total()}").ConfigureAwait(false);
            threads.Join(timeout);
            Conservation.Verify(counter.Total(), total, "interlocked fan-in");
            return new RoundResult(total, latch.ElapsedSince(startedAt));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
