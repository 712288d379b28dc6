using Aggregator.Actors.Kernel;
using Aggregator.Benchmarks.Throughput;

namespace Aggregator.Benchmarks.Lifecycle;

/// <summary>
/// The two ways of running the lifecycle shape. A round's size is counted in actors (five per tree); rounds are
/// measured by <see cref="Measurement"/> like the throughput shapes, so "messages" there means actors here.
/// </summary>
internal static class LifecycleVariants
{
    public static IThroughputVariant Kernel(LifecycleOptions options) => new KernelVariant(options);
    public static IThroughputVariant Plain(LifecycleOptions options) => new PlainVariant(options);

    private static long TreesPerProducer(long actors, int producers) => Math.Max(1, actors / LifecycleMessages.ActorsPerTree / producers);

    /// <summary>Producer threads create top-level parents with <c>ActorOf</c>, each waiting for an in-flight permit the sink returns.</summary>
    private sealed class KernelVariant : IThroughputVariant
    {
        private readonly LifecycleOptions options;
        private readonly ActorSystem system;
        private readonly IActorRef sink;
        private readonly Props[] parentProps;

        public KernelVariant(LifecycleOptions options)
        {
            this.options = options;
            system = ActorSystem.Create("bench-lifecycle", new ActorSystemSettings { RunCoordinatedShutdownOnExitSignals = false });
            var target = sink = system.ActorOf(Props.Create<LifecycleSink>(), "sink");
            parentProps = [.. Enumerable.Range(0, options.Producers).Select(p => Props.Create(() => new LifecycleParent(target, p)))];
        }

        public string Name => "kernel";

        public async Task<RoundResult> RunRoundAsync(long actors, TimeSpan timeout)
        {
            var perProducer = TreesPerProducer(actors, options.Producers);
            var trees = perProducer * options.Producers;
            var permitsEach = Math.Max(1, options.InFlight / options.Producers);
            var permits = Enumerable.Range(0, options.Producers).Select(_ => new SemaphoreSlim(permitsEach)).ToArray();
            var latch = new RoundLatch(1);
            var state = new LifecycleSink.RoundState(trees, latch, permits);
            sink.Tell(state, ActorRefs.NoSender);
            if (!state.Armed.Wait(timeout)) throw new RoundTimeoutException("the sink did not take the round");
            var liveBefore = system.Instrumentation.LiveActors;

            var threads = new ProducerThreads(options.Producers, producer =>
            {
                var props = parentProps[producer];
                var gate = permits[producer];
                for (var i = 0L; i < perProducer; i++)
                {
                    if (!gate.Wait(timeout)) throw new RoundTimeoutException($"producer {producer} waited {timeout.TotalSeconds:0} s for a permit");
                    system.ActorOf(props);
                }
            });
            var startedAt = threads.Release();
            await latch.WaitAsync(timeout, () => $"{system.Instrumentation.LiveActors} actors alive").ConfigureAwait(false);
            threads.Join(timeout);
            latch.VerifySum(trees, "kernel lifecycle");

            // The last parents are still stopping when the sink counts them: wait until every actor of the round is gone.
            RoundTeardown.WaitForActors(system, liveBefore, timeout);
            KernelConservation.Verify(system, "kernel lifecycle");
            foreach (var permit in permits) permit.Dispose();
            return new RoundResult(trees * LifecycleMessages.ActorsPerTree, latch.ElapsedSince(startedAt));
        }

        public async ValueTask DisposeAsync() => await system.Terminate().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }

    /// <summary>The same producer threads build and finish plain-object trees inline.</summary>
    private sealed class PlainVariant(LifecycleOptions options) : IThroughputVariant
    {
        public string Name => "plain objects";

        public async Task<RoundResult> RunRoundAsync(long actors, TimeSpan timeout)
        {
            var perProducer = TreesPerProducer(actors, options.Producers);
            var trees = perProducer * options.Producers;
            var sink = new PlainSink();
            var latch = new RoundLatch(options.Producers);
            var threads = new ProducerThreads(options.Producers, _ =>
            {
                for (var i = 0L; i < perProducer; i++) new PlainParent(sink).Run();
                latch.Signal(0);
            });
            var startedAt = threads.Release();
            await latch.WaitAsync(timeout, () => $"{sink.Completed} trees finished").ConfigureAwait(false);
            threads.Join(timeout);
            Conservation.Verify(sink.Completed, trees, "plain lifecycle");
            return new RoundResult(trees * LifecycleMessages.ActorsPerTree, latch.ElapsedSince(startedAt));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
