using Aggregator.Benchmarks.Throughput;

namespace Aggregator.Benchmarks.Entries;

/// <summary>
/// One round of producer threads building entries, shared by the kernel and the lock-based variant so both are driven
/// by the very same loop (an equal share per producer, a wait for room in the in-flight window before each entry) and
/// differ only in how one entry is built.
/// </summary>
internal sealed class EntryProducerRound
{
    private readonly ProducerThreads threads;
    private readonly RoundLatch latch = new(1);
    private readonly long startedAt;

    /// <summary>Arms the tally for the round's entries and releases the producers.</summary>
    /// <param name="options">Producers, entries per round and the workload.</param>
    /// <param name="entries">The harness's round size; <see cref="EntriesOptions.EntriesPerRound"/> overrides it.</param>
    /// <param name="tally">Counts the closed entries; completes the round at <see cref="Total"/> more.</param>
    /// <param name="window">Where each producer waits for room before opening an entry.</param>
    /// <param name="build">Builds and closes one entry of the workload on a producer thread.</param>
    public EntryProducerRound(EntriesOptions options, long entries, ClosedEntryTally tally, InFlightWindow window, Action<EntryWorkload> build)
    {
        var perProducer = Math.Max(1, (options.EntriesPerRound ?? entries) / options.Producers);
        Total = perProducer * options.Producers;
        tally.Arm(tally.Closed + Total, latch);
        var workload = options.Workload;
        threads = new ProducerThreads(options.Producers, producer =>
        {
            for (var i = 0L; i < perProducer; i++)
            {
                window.Enter(producer);
                build(workload);
            }
        });
        startedAt = threads.Release();
    }

    /// <summary>Entries the round builds over all producers.</summary>
    public long Total { get; }

    /// <summary>Waits until the tally has counted every entry, then for the producer threads to end.</summary>
    /// <param name="timeout">For the tally and for the threads' end, each.</param>
    /// <param name="progress">What the timeout message reports as counted so far.</param>
    public async Task WaitAsync(TimeSpan timeout, Func<string> progress)
    {
        await latch.WaitAsync(timeout, progress).ConfigureAwait(false);
        threads.Join(timeout);
    }

    /// <summary>From the producers' release to the tally's last count.</summary>
    public TimeSpan Elapsed => latch.ElapsedSince(startedAt);
}
