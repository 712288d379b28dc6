using Aggregator.Actors.Persistence;
using Aggregator.Contracts;

namespace Aggregator.Actors.Sinks;

// Messages between a sink shard and itself (completions of its store calls) or its region.

/// <summary>Recovery finished: the stored state the shard continues from.</summary>
internal sealed record SinkRecovered(long HighestSequenceNr, long SnapshotSequenceNr, ShardAggregates Replayed, long ReplayedRows, IReadOnlyList<CorruptRow> Corrupt);

/// <summary>Recovery failed (store unreachable): retried after a delay.</summary>
internal sealed record SinkRecoveryFailed(Exception Cause);

/// <summary>A journal write finished: the rows written and the ids the store already had.</summary>
internal sealed record JournalWritten(IReadOnlyList<JournalRow> Rows, IReadOnlySet<string> Duplicates);

/// <summary>A journal write failed after its retries (or the circuit is open); the batch stays at the head of the buffer.</summary>
internal sealed record JournalWriteFailed(Exception Cause);

/// <summary>The journal checked after a failed write: its highest sequence number and the rows beyond the shard's.</summary>
internal sealed record JournalCaughtUp(long HighestSequenceNr, IReadOnlyList<JournalRow> Rows, IReadOnlyList<CorruptRow> Corrupt);

/// <summary>An aggregate flush finished (or failed, with the partials to fold back).</summary>
internal sealed record AggregatesFlushed(long CoversSequenceNr, Exception? Failure);

/// <summary>Timer: start a journal write if entries wait; retry recovery if it failed.</summary>
internal sealed class SinkTick
{
    public static readonly SinkTick Instance = new();
    private SinkTick() { }
}

/// <summary>Timer: flush partial aggregates.</summary>
internal sealed class FlushAggregatesTick
{
    public static readonly FlushAggregatesTick Instance = new();
    private FlushAggregatesTick() { }
}

/// <summary>Region → shard at shutdown: journal everything buffered, flush aggregates, then answer <see cref="SinkDrained"/>.</summary>
internal sealed class DrainSink
{
    public static readonly DrainSink Instance = new();
    private DrainSink() { }
}

/// <summary>Shard → region: nothing buffered, aggregates flushed (or the store is unreachable: <paramref name="Left"/> entries remain).</summary>
internal sealed record SinkDrained(int Shard, long Left);

/// <summary>
/// Query → shard: the partial aggregates of <paramref name="Operation"/> (windows starting in [From, To)) that the
/// shard holds in memory, unflushed or in a flush not acknowledged yet, answered as <see cref="PendingAggregates"/>.
/// </summary>
internal sealed record GetPendingAggregates(string Operation, DateTimeOffset From, DateTimeOffset To);

/// <summary>
/// Shard → query: copies of its pending parts, each with the snapshot sequence number from which the store holds it.
/// <paramref name="Recovered"/> false: the shard has not replayed its journal yet, so its entries journaled after the
/// last flush are neither stored nor pending.
/// </summary>
internal sealed record PendingAggregates(int Shard, string PersistenceId, bool Recovered, IReadOnlyList<PendingPart> Parts);

/// <summary>
/// Rows of one part of a shard's partial aggregates, and the snapshot sequence number from which the store holds them:
/// a store whose snapshot for the shard is below <paramref name="StoredFrom"/> does not hold them, at or above it does.
/// </summary>
internal sealed record PendingPart(long StoredFrom, IReadOnlyList<Persistence.AggregateRow> Rows);
