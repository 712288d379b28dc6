using Aggregator.Actors.Kernel;
using Aggregator.Benchmarks.Baselines;

namespace Aggregator.Benchmarks.Throughput;

/// <summary>
/// Ping-pong, Akka.NET's PingPong shape: P client/echo pairs; each client keeps a batch of payloads in flight to its
/// echo, the echo replies to the sender, the client sends one more per reply until it has sent its round trips.
/// Every hop counts as a message, so a round of R round trips per pair moves 2 × R × P messages.
/// </summary>
internal static class PingPong
{
    public static IThroughputVariant Kernel(int pairs, int inFlight, ActorSystemSettings settings) => new KernelVariant(pairs, inFlight, settings);
    public static IThroughputVariant Channel(int pairs, int inFlight) => new ChannelVariant(pairs, inFlight);
    public static IThroughputVariant Interlocked(int pairs) => new InterlockedVariant(pairs);

    private static long RoundTrips(long messages, int pairs) => Math.Max(1, messages / (2L * pairs));

    private sealed class KernelVariant : IThroughputVariant
    {
        private readonly ActorSystem system;
        private readonly int inFlight;
        private readonly IActorRef[] clients;
        private readonly IActorRef[] echoes;

        public KernelVariant(int pairs, int inFlight, ActorSystemSettings settings)
        {
            this.inFlight = inFlight;
            system = ActorSystem.Create("bench-pingpong", settings);
            echoes = new IActorRef[pairs];
            clients = new IActorRef[pairs];
            for (var i = 0; i < pairs; i++)
            {
                var echo = echoes[i] = system.ActorOf(Props.Create(() => new PingPongEchoActor()), $"echo-{i}");
                clients[i] = system.ActorOf(Props.Create(() => new PingPongClientActor(echo)), $"client-{i}");
            }
        }

        public string Name => "kernel";

        public async Task<RoundResult> RunRoundAsync(long messages, TimeSpan timeout)
        {
            var roundTrips = RoundTrips(messages, clients.Length);
            var total = 2 * roundTrips * clients.Length;
            var latch = new RoundLatch(clients.Length);
            var startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            foreach (var client in clients) client.Tell(new Serve(roundTrips, inFlight, latch), ActorRefs.NoSender);
            await latch.WaitAsync(timeout, () => KernelProgress.Describe(system, [.. clients, .. echoes])).ConfigureAwait(false);

            var echoed = new RoundLatch(echoes.Length);
            foreach (var echo in echoes) echo.Tell(new Report(echoed), ActorRefs.NoSender);
            await echoed.WaitAsync(timeout, () => "echo reports").ConfigureAwait(false);
            Conservation.Verify(latch.Sum + echoed.Sum, total, "kernel ping-pong");
            KernelConservation.Verify(system, "kernel ping-pong");
            return new RoundResult(total, latch.ElapsedSince(startedAt));
        }

        public async ValueTask DisposeAsync() => await system.Terminate().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }

    private sealed class ChannelVariant : IThroughputVariant
    {
        private readonly int inFlight;
        private readonly PingPongChannelClient[] clients;
        private readonly PingPongChannelEcho[] echoes;

        public ChannelVariant(int pairs, int inFlight)
        {
            this.inFlight = inFlight;
            echoes = new PingPongChannelEcho[pairs];
            clients = new PingPongChannelClient[pairs];
            for (var i = 0; i < pairs; i++)
            {
                echoes[i] = new PingPongChannelEcho();
                clients[i] = new PingPongChannelClient(echoes[i]);
                echoes[i].Start();
                clients[i].Start();
            }
        }

        public string Name => "channel";

        public async Task<RoundResult> RunRoundAsync(long messages, TimeSpan timeout)
        {
            var roundTrips = RoundTrips(messages, clients.Length);
            var total = 2 * roundTrips * clients.Length;
            var latch = new RoundLatch(clients.Length);
            var startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            foreach (var client in clients) client.Tell(new Serve(roundTrips, inFlight, latch), null);
            await latch.WaitAsync(timeout, () => $"channel readers processed {clients.Sum(c => c.Processed) + echoes.Sum(e => e.Processed)}").ConfigureAwait(false);

            var echoed = new RoundLatch(echoes.Length);
            foreach (var echo in echoes) echo.Tell(new Report(echoed), null);
            await echoed.WaitAsync(timeout, () => "echo reports").ConfigureAwait(false);
            Conservation.Verify(latch.Sum + echoed.Sum, total, "channel ping-pong");
            return new RoundResult(total, latch.ElapsedSince(startedAt));
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var actor in clients.Cast<ChannelActor>().Concat(echoes))
                await actor.StopAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Each message becomes one Interlocked.Add on the receiving side's counter (client and echo counters per pair);
    /// the pairs are split over one thread per core, so this is the uncontended upper bound of "just use atomics".
    /// </summary>
    private sealed class InterlockedVariant(int pairs) : IThroughputVariant
    {
        private readonly PaddedCounters counters = new(2 * pairs);

        public string Name => "interlocked";

        public async Task<RoundResult> RunRoundAsync(long messages, TimeSpan timeout)
        {
            var roundTrips = RoundTrips(messages, pairs);
            var total = 2 * roundTrips * pairs;
            var threadCount = Math.Min(pairs, Environment.ProcessorCount);
            counters.Reset();
            var latch = new RoundLatch(threadCount);
            var threads = new ProducerThreads(threadCount, thread =>
            {
                var payload = new Payload();
                for (var r = 0L; r < roundTrips; r++)
                {
                    for (var pair = thread; pair < pairs; pair += threadCount)
                    {
                        System.Threading.Interlocked.Add(ref counters[2 * pair + 1], payload.Value); // echo receives
                        System.Threading.Interlocked.Add(ref counters[2 * pair], payload.Value);     // client receives the reply
                    }
                }
                latch.Signal(0);
            });
            var startedAt = threads.Release();
            await latch.WaitAsync(timeout, () => $"counters at {counters.Total()}").ConfigureAwait(false);
            threads.Join(timeout);
            Conservation.Verify(counters.Total(), total, "interlocked ping-pong");
            return new RoundResult(total, latch.ElapsedSince(startedAt));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
