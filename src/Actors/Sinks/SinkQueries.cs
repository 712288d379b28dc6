using Aggregator.Actors.Persistence;
using Aggregator.Actors.Sinks.Aggregates;
using Aggregator.Contracts;

namespace Aggregator.Actors.Sinks;

/// <summary>
/// What people ask of the stored entries, in one place (the HTTP API serves these): an entry by id, entries of an
/// operation over a time range a page at a time, and aggregates of an operation over a time range, optionally grouped
/// by dimensions, with any quantiles, merged across windows and shards. Aggregates are the flushed ones: they trail
/// the journal by at most the sinks' aggregate flush interval.
/// </summary>
public sealed class SinkQueries(ISinkStore store)
{
    public Task<ClosedEntry?> GetEntryAsync(string entryId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(entryId);
        return store.GetEntryAsync(entryId, cancellationToken);
    }

    public Task<EntryPage> GetEntriesAsync(EntryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.To <= query.From) throw new ArgumentException($"The time range is empty: to ({query.To:O}) must be after from ({query.From:O}).", nameof(query));
        return store.GetEntriesAsync(query, cancellationToken);
    }

    /// <summary>
    /// Aggregates of <paramref name="operation"/> whose windows start in [<paramref name="from"/>, <paramref name="to"/>),
    /// grouped by <paramref name="groupBy"/> (none: one group) with <paramref name="quantiles"/> (default p50, p90, p99).
    /// Stored rows that cannot be decoded are reported in the result, not thrown.
    /// </summary>
    public async Task<AggregateQueryResult> GetAggregatesAsync(
        string operation,
        DateTimeOffset from,
        DateTimeOffset to,
        IReadOnlyList<string>? groupBy = null,
        IReadOnlyList<double>? quantiles = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        if (to <= from) throw new ArgumentException($"The time range is empty: to ({to:O}) must be after from ({from:O}).", nameof(to));
        var query = new AggregateQuery(groupBy ?? [], quantiles ?? AggregateQuery.Default.Quantiles);
        var rows = await store.GetAggregatesAsync(operation, from, to, cancellationToken).ConfigureAwait(false);
        return query.Run(rows);
    }
}
