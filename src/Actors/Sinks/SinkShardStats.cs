using Polly.CircuitBreaker;

namespace Aggregator.Actors.Sinks;

/// <summary>
/// One sink shard's counters, written by the shard's turn and read by inspection at any time: how far behind the
/// journal is, how much is buffered, what was dropped, and whether the store's circuit is open.
/// </summary>
public sealed class SinkShardStats(int shard)
{
    internal long received, buffered, journaled, duplicates, dropped, corruptRows, flushes, writeFailures, highestSequenceNr, snapshotSequenceNr;
    internal CircuitBreakerStateProvider Breaker { get; } = new();
    internal volatile bool recovered;

    public int Shard { get; } = shard;
    public string PersistenceId => "sink-" + Shard;

    /// <summary>Entries waiting to be journaled; at the buffer capacity the overflow policy applies.</summary>
    public long Buffered => Interlocked.Read(ref buffered);

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
        BreakerState());

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
    public long JournalLag => Buffered;
    public long AggregateLag => HighestSequenceNr - SnapshotSequenceNr;
}
