namespace Aggregator.Benchmarks.Throughput;

/// <summary>
/// The three shapes of the issue and the configurations each one is measured in. Which configuration feeds a RESULT
/// line is decided here, before anything runs: fan-in with one producer per core, ping-pong with the configured
/// in-flight batch (the 1-in-flight figure is measured too, for honesty), fan-out to the configured actor count.
/// </summary>
internal static class Shapes
{
    public static IEnumerable<VariantGroup> GroupsFor(string shape, ThroughputOptions options)
    {
        var settings = options.KernelSettings;
        var turn = $"kernel throughput={options.KernelThroughput}";
        switch (shape)
        {
            case "fanin":
                for (var i = 0; i < options.FanInProducers.Count; i++)
                {
                    var producers = options.FanInProducers[i];
                    yield return new VariantGroup(
                        $"fan-in: {producers} producer threads -> 1 actor ({turn})",
                        [() => FanIn.Kernel(producers, settings), () => FanIn.Channel(producers), () => FanIn.Interlocked(producers)],
                        i == 0 ? "kernel_fanin_msgs_per_sec" : null,
                        i == 0 ? "kernel_fanin_vs_interlocked" : null);
                }
                break;
            case "pingpong":
                var pairs = options.Pairs;
                var inFlight = options.InFlight;
                yield return new VariantGroup(
                    $"ping-pong: {pairs} pairs, {inFlight} in flight per pair, both directions counted ({turn})",
                    [() => PingPong.Kernel(pairs, inFlight, settings), () => PingPong.Channel(pairs, inFlight), () => PingPong.Interlocked(pairs)],
                    "kernel_pingpong_msgs_per_sec",
                    "kernel_pingpong_vs_interlocked");
                if (inFlight != 1)
                    yield return new VariantGroup(
                        $"ping-pong: {pairs} pairs, 1 in flight per pair (latency-bound; not the RESULT figure) ({turn})",
                        [() => PingPong.Kernel(pairs, 1, settings), () => PingPong.Channel(pairs, 1)]);
                break;
            case "fanout":
                var actors = options.FanOutActors;
                yield return new VariantGroup(
                    $"fan-out: 1 producer thread -> {actors} actors round-robin ({turn})",
                    [() => FanOut.Kernel(actors, settings), () => FanOut.Channel(actors), () => FanOut.Interlocked(actors)],
                    "kernel_fanout_msgs_per_sec",
                    "kernel_fanout_vs_interlocked");
                break;
            case "drain":
                foreach (var backlog in options.DrainBacklogs)
                    yield return new VariantGroup(
                        $"drain (diagnostic): backlogs of {backlog:N0} queued behind a held receiver by one thread, then drained ({turn})",
                        [() => Drain.Kernel(Drain.Phase.Fill, backlog, settings), () => Drain.Kernel(Drain.Phase.Drain, backlog, settings),
                         () => Drain.Kernel(Drain.Phase.Drain, backlog, settings, plainActor: true),
                         () => Drain.Channel(Drain.Phase.Fill, backlog), () => Drain.Channel(Drain.Phase.Drain, backlog)]);
                break;
            default:
                throw new ArgumentException($"unknown shape '{shape}'");
        }
    }
}
