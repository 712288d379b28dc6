using Aggregator.Actors.Entries;
using Aggregator.Actors.Kernel;
using Aggregator.Benchmarks.Throughput;

namespace Aggregator.Benchmarks.Entries;

/// <summary>
/// The entries through the actor kernel: an <see cref="EntryRegion"/> whose closed entries go to a counting sink
/// actor, fed by dedicated producer threads through the in-process handles, each waiting for room in the in-flight
/// window. A round ends when the sink has counted every entry; before the next, the round's actors must have stopped.
/// </summary>
internal sealed class KernelEntriesVariant : IThroughputVariant
{
    private readonly EntriesOptions options;
    private readonly ActorSystem system;
    private readonly EntryRegion region;
    private readonly ClosedEntryTally tally;
    private readonly InFlightWindow window;

    public KernelEntriesVariant(EntriesOptions options)
    {
        this.options = options;
        system = ActorSystem.Create("bench-entries", new ActorSystemSettings { RunCoordinatedShutdownOnExitSignals = false });
        tally = new ClosedEntryTally(options.Workload);
        var sink = system.ActorOf(Props.Create(() => new EntrySinkActor(tally, null)), "sink");
        region = EntryRegion.Start(system, sink, Settings(options));
        window = new InFlightWindow(options.Producers, options.Window, tally);
    }

    public string Name => "kernel";

    public int Shards => region.Settings.Shards;

    /// <summary>Times a producer found the window full, over every round so far.</summary>
    public long WindowWaits => window.Waits;

    public static EntrySettings Settings(EntriesOptions options)
    {
        var settings = new EntrySettings();
        if (options.Shards is { } shards) settings = settings with { Shards = shards };
        if (!options.Tombstones) settings = settings with { TombstoneTtl = TimeSpan.Zero };
        return settings;
    }

    public async Task<RoundResult> RunRoundAsync(long entries, TimeSpan timeout)
    {
        var liveBefore = system.Instrumentation.LiveActors;
        var round = new EntryProducerRound(options, entries, tally, window, workload => workload.Fill(region).Close());
        await round.WaitAsync(timeout, () => $"sink counted {tally.Closed}, {window.InFlight} entries in flight, {system.Instrumentation.LiveActors} actors alive").ConfigureAwait(false);
        if (tally.Malformed != 0) throw new MessageConservationException($"kernel entries: {tally.Malformed} closed entries were not what the workload built");

        // The sink counts an entry before its actors have stopped: wait for them, so the next round starts clean.
        RoundTeardown.WaitForActors(system, liveBefore, timeout);
        KernelConservation.Verify(system, "kernel entries");
        return new RoundResult(round.Total, round.Elapsed);
    }

    public async ValueTask DisposeAsync() => await system.Terminate().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
}
