using Aggregator.Benchmarks.Baselines;
using Aggregator.Benchmarks.Throughput;

namespace Aggregator.Benchmarks.Entries;

/// <summary>
/// The lock-based baseline (<see cref="LockedEntry"/>) on the same producer threads: each builds its entries inline
/// and the last release emits to the same counting tally. Entries close as they are built, so the window never fills;
/// it is kept so the producers' loop is the kernel's.
/// </summary>
internal sealed class LockedEntriesVariant : IThroughputVariant
{
    private readonly EntriesOptions options;
    private readonly ClosedEntryTally tally;
    private readonly LockedEntrySource source;
    private readonly InFlightWindow window;

    public LockedEntriesVariant(EntriesOptions options)
    {
        this.options = options;
        tally = new ClosedEntryTally(options.Workload);
        source = new LockedEntrySource(tally.Count);
        window = new InFlightWindow(options.Producers, options.Window, tally);
    }

    public string Name => "lock-based";

    public async Task<RoundResult> RunRoundAsync(long entries, TimeSpan timeout)
    {
        var round = new EntryProducerRound(options, entries, tally, window, workload => workload.Run(source));
        await round.WaitAsync(timeout, () => $"sink counted {tally.Closed}").ConfigureAwait(false);
        if (tally.Malformed != 0) throw new MessageConservationException($"lock-based entries: {tally.Malformed} closed entries were not what the workload built");
        return new RoundResult(round.Total, round.Elapsed);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
