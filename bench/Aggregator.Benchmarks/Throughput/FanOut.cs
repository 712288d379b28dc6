using Aggregator.Actors.Kernel;
using Aggregator.Benchmarks.Baselines;

namespace Aggregator.Benchmarks.Throughput;

/// <summary>
/// Fan-out: one producer thread sends round-robin to K receivers, the shape of a region routing to many entries.
/// Most sends find an idle receiver, so this measures scheduling mailboxes onto the pool as much as queueing.
/// </summary>
internal static class FanOut
{
    public static IThroughputVariant Kernel(int actors, ActorSystemSettings settings) => new KernelVariant(actors, settings);
    public static IThroughputVariant Channel(int actors) => new ChannelVariant(actors);
    public static IThroughputVariant Interlocked(int actors) => new InterlockedVariant(actors);

    private static long PerReceiver(long messages, int receivers) => Math.Max(1, messages / receivers);

    private sealed class KernelVariant : IThroughputVariant
    {
        private readonly ActorSystem system;
        private readonly IActorRef[] sinks;

        public KernelVariant(int actors, ActorSystemSettings settings)
        {
            system = ActorSystem.Create("bench-fanout", settings);
            sinks = new IActorRef[actors];
            for (var i = 0; i < actors; i++) sinks[i] = system.ActorOf(Props.Create(() => new SummingActor()), $"sink-{i}");
        }

        public string Name => "kernel";

        public async Task<RoundResult> RunRoundAsync(long messages, TimeSpan timeout)
        {
            var perSink = PerReceiver(messages, sinks.Length);
            var total = perSink * sinks.Length;
            var latch = new RoundLatch(sinks.Length);
            foreach (var sink in sinks) sink.Tell(new Quota(perSink, latch), ActorRefs.NoSender);
            var producer = new ProducerThreads(1, _ =>
            {
                var payload = new Payload();
                for (var i = 0L; i < perSink; i++)
                    foreach (var sink in sinks) sink.Tell(payload, ActorRefs.NoSender);
            });
            var startedAt = producer.Release();
            await latch.WaitAsync(timeout, () => KernelProgress.Describe(system, sinks)).ConfigureAwait(false);
            producer.Join(timeout);
            latch.VerifySum(total, "kernel fan-out");
            KernelConservation.Verify(system, "kernel fan-out");
            return new RoundResult(total, latch.ElapsedSince(startedAt));
        }

        public async ValueTask DisposeAsync() => await system.Terminate().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }

    private sealed class ChannelVariant : IThroughputVariant
    {
        private readonly SummingChannelActor[] sinks;

        public ChannelVariant(int actors)
        {
            sinks = new SummingChannelActor[actors];
            for (var i = 0; i < actors; i++)
            {
                sinks[i] = new SummingChannelActor();
                sinks[i].Start();
            }
        }

        public string Name => "channel";

        public async Task<RoundResult> RunRoundAsync(long messages, TimeSpan timeout)
        {
            var perSink = PerReceiver(messages, sinks.Length);
            var total = perSink * sinks.Length;
            var latch = new RoundLatch(sinks.Length);
            foreach (var sink in sinks) sink.Tell(new Quota(perSink, latch), null);
            var producer = new ProducerThreads(1, _ =>
            {
                var payload = new Payload();
                for (var i = 0L; i < perSink; i++)
                    foreach (var sink in sinks) sink.Tell(payload, null);
            });
            var startedAt = producer.Release();
            await latch.WaitAsync(timeout, () => $"channel readers processed {sinks.Sum(s => s.Processed)}").ConfigureAwait(false);
            producer.Join(timeout);
            latch.VerifySum(total, "channel fan-out");
            return new RoundResult(total, latch.ElapsedSince(startedAt));
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var sink in sinks) await sink.StopAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
    }

    /// <summary>The one producer adds each payload's value into the receiver's own counter with Interlocked (uncontended).</summary>
    private sealed class InterlockedVariant(int actors) : IThroughputVariant
    {
        private readonly PaddedCounters counters = new(actors);

        public string Name => "interlocked";

        public async Task<RoundResult> RunRoundAsync(long messages, TimeSpan timeout)
        {
            var perSink = PerReceiver(messages, actors);
            var total = perSink * actors;
            counters.Reset();
            var latch = new RoundLatch(1);
            var producer = new ProducerThreads(1, _ =>
            {
                var payload = new Payload();
                for (var i = 0L; i < perSink; i++)
                    for (var k = 0; k < actors; k++) System.Threading.Interlocked.Add(ref counters[k], payload.Value);
                latch.Signal(0);
            });
            var startedAt = producer.Release();
            await latch.WaitAsync(timeout, () => $"counters at {counters.Total()}").ConfigureAwait(false);
            producer.Join(timeout);
            Conservation.Verify(counters.Total(), total, "interlocked fan-out");
            return new RoundResult(total, latch.ElapsedSince(startedAt));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
