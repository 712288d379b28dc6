namespace Aggregator.Actors.Sinks;

/// <summary>
/// Counters of what queries had to leave out, for the operator's dashboards: a damaged stored row shows up
/// here (and in each answer that skipped it) instead of as failed queries.
/// </summary>
public sealed class SinkQueryStats
{
    private long skippedAggregateRows, storeOnlyShardAnswers, skippedEntrySpans;

    /// <summary>Stored aggregate rows (or windows of them, when the store could not read one) skipped by queries, summed over queries.</summary>
    public long SkippedAggregateRows => Interlocked.Read(ref skippedAggregateRows);

    /// <summary>Times a shard's part of an aggregate answer came from the store alone (stopped, too slow, recovering).</summary>
    public long StoreOnlyShardAnswers => Interlocked.Read(ref storeOnlyShardAnswers);

    /// <summary>Spans of unreadable journal rows skipped by entry queries, summed over pages.</summary>
    public long SkippedEntrySpans => Interlocked.Read(ref skippedEntrySpans);

    internal void Count(SinkEntryPage page) => Interlocked.Add(ref skippedEntrySpans, page.Skipped.Count);

    internal void Count(Aggregates.AggregateQueryResult result)
    {
        Interlocked.Add(ref skippedAggregateRows, result.Corrupt.Count);
        Interlocked.Add(ref storeOnlyShardAnswers, result.StoreOnlyShards.Count);
    }
}
