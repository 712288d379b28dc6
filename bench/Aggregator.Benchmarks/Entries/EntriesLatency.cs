using System.Diagnostics;
using Aggregator.Actors.Entries;
using Aggregator.Actors.Kernel;
using Aggregator.Benchmarks.Throughput;

namespace Aggregator.Benchmarks.Entries;

/// <summary>
/// Release-to-sink latency at a fixed offered rate (half the measured maximum): the producers are paced by a
/// schedule (entry k of a producer is due at start + k / rate), sleeping while ahead of it (<see cref="PacedWait"/>), so the system
/// runs loaded but not saturated. Measured per entry from the owner's Close (the last release: the slots completed
/// before it) to the closed entry's arrival in the sink actor. The first quarter of the run is warm-up, not counted.
/// </summary>
internal static class EntriesLatency
{
    /// <summary>Offered and achieved rates, the latency quantiles in µs, and how far the run strayed from its schedule and from a quiet machine.</summary>
    public sealed record Result(double OfferedRate, double AchievedRate, long Entries, double P50, double P90, double P99, double P999, double Max, double Mean, double LateShare, long WindowWaits, double OtherProcessesShare, double CpuShare);

    public static async Task<Result> RunAsync(EntriesOptions options, double rate)
    {
        var warmUp = options.LatencyDuration / 4;
        var perProducerRate = rate / options.Producers;
        var perProducer = (int)Math.Max(1, perProducerRate * (warmUp + options.LatencyDuration).TotalSeconds);
        var warmUpEntries = (int)(perProducerRate * warmUp.TotalSeconds);
        var total = perProducer * options.Producers;
        var latencies = new ReleaseLatencies(total);
        var tally = new ClosedEntryTally(options.Workload);
        var inFlight = new InFlightWindow(options.Producers, options.Window, tally);
        long late = 0;

        await using var system = ActorSystem.Create("bench-entries-latency", new ActorSystemSettings { RunCoordinatedShutdownOnExitSignals = false });
        var sink = system.ActorOf(Props.Create(() => new EntrySinkActor(tally, latencies)), "sink");
        var region = EntryRegion.Start(system, sink, KernelEntriesVariant.Settings(options));
        var latch = new RoundLatch(1);
        tally.Arm(total, latch);
        var ticksPerEntry = Stopwatch.Frequency / perProducerRate;
        var startAt = 0L;
        var workload = options.Workload;
        var threads = new ProducerThreads(options.Producers, producer =>
        {
            var first = producer * perProducer;
            var behind = 0L;
            for (var k = 0; k < perProducer; k++)
            {
                var due = startAt + (long)(k * ticksPerEntry);
                if (Stopwatch.GetTimestamp() > due + ticksPerEntry) behind++;
                else PacedWait.Until(due);
                inFlight.Enter(producer);
                var index = first + k;
                var entry = workload.Fill(region, ReleaseLatencies.IdOf(index));
                latencies.Released(index);
                entry.Close();
            }
            Interlocked.Add(ref late, behind);
        });
        var usageBefore = ProcessUsage.Now();
        var machineBefore = MachineLoad.Now();
        startAt = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 1000;
        var startedAt = threads.Release();
        var timeout = TimeSpan.FromSeconds(30) + 3 * (warmUp + options.LatencyDuration);
        await latch.WaitAsync(timeout, () => $"sink counted {tally.Closed} of {total}").ConfigureAwait(false);
        threads.Join(timeout);
        var usage = ProcessUsage.Now() - usageBefore;
        var machine = MachineLoad.Now() - machineBefore;
        var window = Stopwatch.GetElapsedTime(startedAt) * Environment.ProcessorCount;
        if (tally.Malformed != 0) throw new MessageConservationException($"latency run: {tally.Malformed} closed entries were not what the workload built");
        KernelConservation.Verify(system, "latency run");

        var elapsed = latch.ElapsedSince(startedAt).TotalSeconds;
        var sorted = latencies.Microseconds(i => i % perProducer >= warmUpEntries);
        double At(double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Result(rate, total / elapsed, sorted.Length, At(0.5), At(0.9), At(0.99), At(0.999), sorted[^1], sorted.Average(),
            (double)Interlocked.Read(ref late) / total, inFlight.Waits,
            Math.Max(0, (machine.Busy - usage.User - usage.System + machine.Steal) / window), (usage.User + usage.System) / window);
    }
}
