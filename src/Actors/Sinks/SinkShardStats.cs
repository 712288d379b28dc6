using Polly.CircuitBreaker;

namespace Aggregator.Actors.Sinks;

/// <summary>
/// One sink shard's counters, written by the shard's turn and read by inspection at any time: how far behind the
/// journal is, how much is buffered, what was dropped, and whether the store's circuit is open.
/// </summary>
public sealed class SinkShardStats(int shard, string persistenceIdPrefix = "sink")
{
    internal long received, buffered, journaled, duplicates, dropped, corruptRows, flushes, writeFailures, highestSequenceNr, snapshotSequenceNr;
    private long batches, batchWriteTicks, lastBatchWriteTicks;
    internal CircuitBreakerStateProvider Breaker { get; } = new();
    internal volatile bool recovered;

    public int Shard { get; } = shard;
    public string PersistenceId { get; } = persistenceIdPrefix + "-" + shard;

    /// <summary>Entries waiting to be journaled; at the buffer capacity the overflow policy applies.</summary>
    public long Buffered => Interlocked.Read(ref buffered);

    /// <summary>One journal batch written, in <paramref name="elapsedTicks"/> (Stopwatch ticks): the batch latency inspection reports.</summary>
    internal void CountBatch(long elapsedTicks)
    {
        Interlocked.Increment(ref batches);
        Interlocked.Add(ref batchWriteTicks, elapsedTicks);
        Interlocked.Exchange(ref lastBatchWriteTicks, elapsedTicks);
    }

    public SinkShardSnapshot Snapshot() => new(
        Shard,
        PersistenceId,
        recovered,
        Interlocked.Read(ref received),
        Interlocked.Read(ref buffered),
        Interlocked.Read(ref journaled),
        Interlocked.Read(ref duplicates),
        Interlocked.Read(ref dropped),
        Interlocked.Read(ref corruptRows),
        Interlocked.Read(ref flushes),
        Interlocked.Read(ref writeFailures),
        Interlocked.Read(ref highestSequenceNr),
        Interlocked.Read(ref snapshotSequenceNr),
        BreakerState())
    {
        Batches = Interlocked.Read(ref batches),
        BatchWriteTime = System.Diagnostics.Stopwatch.GetElapsedTime(0, Interlocked.Read(ref batchWriteTicks)),
        LastBatchWrite = System.Diagnostics.Stopwatch.GetElapsedTime(0, Interlocked.Read(ref lastBatchWriteTicks)),
    };

    /// <summary>The store circuit's state; "Closed" before the first store call wires the provider up.</summary>
    private string BreakerState()
    {
        try
        {
            return Breaker.CircuitState.ToString();
        }
        catch (InvalidOperationException)
        {
            return nameof(CircuitState.Closed);
        }
    }
}

/// <summary>
/// One sink shard at a moment. JournalLag = entries received but not yet journaled (the buffer); AggregateLag =
/// journal rows not yet covered by the stored aggregates (recovered by replay after a crash).
/// </summary>
public sealed record SinkShardSnapshot(
    int Shard,
    string PersistenceId,
    bool Recovered,
    long Received,
    long Buffered,
    long Journaled,
    long Duplicates,
    long Dropped,
    long CorruptRows,
    long AggregateFlushes,
    long WriteFailures,
    long HighestSequenceNr,
    long SnapshotSequenceNr,
    string BreakerState)
{
    /// <summary>Journal batches written so far.</summary>
    public long Batches { get; init; }

    /// <summary>Time spent writing those batches (store call, retries included): with <see cref="Batches"/>, the mean batch latency.</summary>
    public TimeSpan BatchWriteTime { get; init; }

    /// <summary>How long the latest batch took to write.</summary>
    public TimeSpan LastBatchWrite { get; init; }

    public long JournalLag => Buffered;
    public long AggregateLag => HighestSequenceNr - SnapshotSequenceNr;
}
