using Aggregator.Actors.Kernel;
using Aggregator.Actors.Persistence;
using Aggregator.Actors.Sinks.Aggregates;
using Aggregator.Contracts;

namespace Aggregator.Actors.Sinks;

/// <summary>
/// What people ask of the stored entries, in one place (the HTTP API serves these): an entry by id, entries of an
/// operation over a time range a page at a time, and aggregates of an operation over a time range, optionally grouped
/// by dimensions, with any quantiles, merged across windows and shards. Aggregates include what the running shards
/// folded but have not flushed yet (see <see cref="GetAggregatesAsync"/>), so an entry counts as soon as it is journaled.
/// </summary>
public sealed class SinkQueries
{
    /// <summary>Reads of the store tried before a shard that flushes during every one of them is answered from the store alone.</summary>
    private const int FencedReads = 5;

    private readonly ISinkStore store;
    private readonly SinkRegion? sinks;
    private readonly StoredAggregateReader stored;
    private readonly EntryPageReader entries;

    /// <summary>Queries of the store alone: aggregates are the flushed ones, and every answer says so in its warnings.</summary>
    public SinkQueries(ISinkStore store) : this(store, null, new SinkQueryStats())
    {
    }

    internal SinkQueries(ISinkStore store, SinkRegion? sinks, SinkQueryStats stats)
    {
        this.store = store ?? throw new ArgumentNullException(nameof(store));
        this.sinks = sinks;
        Stats = stats;
        entries = new EntryPageReader(store);
        stored = new StoredAggregateReader(store, sinks?.Settings.Window ?? AggregateWindow.DefaultLength);
    }

    /// <summary>What aggregate queries had to leave out (damaged rows, shards answered from the store alone).</summary>
    public SinkQueryStats Stats { get; }

    /// <summary>One stored entry by id, or null. A row the store cannot read throws <see cref="InvalidDataException"/> naming its location.</summary>
    public Task<ClosedEntry?> GetEntryAsync(string entryId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(entryId);
        return store.GetEntryAsync(entryId, cancellationToken);
    }

    /// <summary>
    /// Entries of an operation closed in [From, To), oldest first, a page at a time (pass <see cref="SinkEntryPage.Next"/>
    /// as <see cref="EntryQuery.After"/>). A journal row the store cannot read is skipped and reported in
    /// <see cref="SinkEntryPage.Skipped"/> with its location, so the rest of the page still comes back.
    /// </summary>
    public async Task<SinkEntryPage> GetEntriesAsync(EntryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.To <= query.From) throw new ArgumentException($"The time range is empty: to ({query.To:O}) must be after from ({query.From:O}).", nameof(query));
        var page = await entries.ReadAsync(query, cancellationToken).ConfigureAwait(false);
        Stats.Count(page);
        return page;
    }

    /// <summary>
    /// Aggregates of <paramref name="operation"/> whose windows start in [<paramref name="from"/>, <paramref name="to"/>),
    /// grouped by <paramref name="groupBy"/> (none: one group) with <paramref name="quantiles"/> (default p50, p90, p99).
    /// </summary>
    /// <remarks>
    /// <para>Every running shard first hands over copies of its pending partials (unflushed, or in a flush not yet
    /// acknowledged), each tagged with the snapshot sequence number from which the store holds it. Then the store is
    /// read between two reads of each such shard's snapshot sequence number. A shard's snapshot only grows, by one
    /// transaction that also writes its rows, so equal numbers before and after mean the rows read are exactly those of
    /// that snapshot: a part is added if and only if the snapshot is below its number. A flush committing during the read
    /// changes the number, and the read is repeated. So each entry is counted once, never twice, whenever flushes
    /// complete; entries folded after the shard answered may or may not be in (they are if flushed by the read).</para>
    /// <para>A shard that is stopped, does not answer within <see cref="SinkSettings.QueryTimeout"/> or is still
    /// recovering is answered from the store alone and named in <see cref="AggregateQueryResult.StoreOnlyShards"/>.
    /// Stored rows that cannot be read or decoded are skipped and reported in
    /// <see cref="AggregateQueryResult.Corrupt"/> with their location, not thrown.</para>
    /// </remarks>
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
        query.Validate();
        var warnings = new List<string>();
        var storeOnly = new List<string>();
        var pending = await AskShardsAsync(operation, from, to, storeOnly, warnings, cancellationToken).ConfigureAwait(false);

        var fenced = pending.Where(p => p.Parts.Count > 0).Select(p => p.PersistenceId).ToArray();
        List<AggregateRow> rows = [];
        List<CorruptAggregate> skipped = [];
        var snapshots = new Dictionary<string, long>();
        var unsettled = fenced;
        for (var read = 0; read < FencedReads && (read == 0 || unsettled.Length > 0); read++)
        {
            var before = await SnapshotsAsync(fenced, cancellationToken).ConfigureAwait(false);
            (rows, skipped) = await stored.ReadAsync(operation, from, to, cancellationToken).ConfigureAwait(false);
            snapshots = await SnapshotsAsync(fenced, cancellationToken).ConfigureAwait(false);
            unsettled = fenced.Where(id => before[id] != snapshots[id]).ToArray();
        }

        foreach (var shard in pending)
        {
            if (unsettled.Contains(shard.PersistenceId))
            {
                storeOnly.Add(shard.PersistenceId);
                warnings.Add($"{shard.PersistenceId} flushed during each of {FencedReads} reads of the store: its unflushed entries are not included.");
                continue;
            }
            foreach (var part in shard.Parts)
                if (snapshots.GetValueOrDefault(shard.PersistenceId) < part.StoredFrom)
                    rows.AddRange(part.Rows);
        }

        var result = query.Run(rows);
        var corrupt = skipped.Concat(result.Corrupt.Select(c => c with { Location = c.Location ?? Location(c) })).ToArray();
        warnings.AddRange(corrupt.Select(c => $"skipped unreadable aggregates at {c.Location}: {c.Reason}"));
        result = result with { Corrupt = corrupt, StoreOnlyShards = storeOnly.Order(StringComparer.Ordinal).ToArray(), Warnings = warnings };
        Stats.Count(result);
        return result;
    }

    /// <summary>The pending partials of every running shard; the shards that cannot add theirs are named in <paramref name="storeOnly"/>.</summary>
    private async Task<IReadOnlyList<PendingAggregates>> AskShardsAsync(string operation, DateTimeOffset from, DateTimeOffset to, List<string> storeOnly, List<string> warnings, CancellationToken cancellationToken)
    {
        if (sinks is null)
        {
            warnings.Add("answered from the store alone (no sink shards to ask): entries folded since each shard's last flush are not included.");
            return [];
        }
        var all = Enumerable.Range(0, sinks.Settings.Shards).Select(i => sinks.Settings.PersistenceIdPrefix + "-" + i).ToList();
        PendingAggregates[] answers;
        try
        {
            answers = await sinks.Ref.AskRunningShardsAsync<PendingAggregates>(new GetPendingAggregates(operation, from, to), sinks.Settings.QueryTimeout, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (AskTimeoutException timeout)
        {
            // The region's ask waits for all: one shard too slow leaves no answer to use, so all come from the store.
            storeOnly.AddRange(all);
            warnings.Add($"not every sink shard answered within {sinks.Settings.QueryTimeout.TotalSeconds:0.###} s ({timeout.Message}): answered from the store alone, entries folded since each shard's last flush are not included.");
            return [];
        }
        foreach (var missing in all.Except(answers.Select(a => a.PersistenceId)))
        {
            storeOnly.Add(missing);
            warnings.Add($"{missing} is not running: answered from the store alone, entries it folded since its last flush are not included.");
        }
        foreach (var recovering in answers.Where(a => !a.Recovered))
        {
            storeOnly.Add(recovering.PersistenceId);
            warnings.Add($"{recovering.PersistenceId} is still recovering: entries journaled since its last flush are not included.");
        }
        return answers.Where(a => a.Recovered).ToArray();
    }

    private async Task<Dictionary<string, long>> SnapshotsAsync(IReadOnlyList<string> persistenceIds, CancellationToken cancellationToken)
    {
        var numbers = await Task.WhenAll(persistenceIds.Select(id => store.SnapshotSequenceNrAsync(id, cancellationToken))).ConfigureAwait(false);
        return persistenceIds.Zip(numbers).ToDictionary(pair => pair.First, pair => pair.Second, StringComparer.Ordinal);
    }

    private string Location(CorruptAggregate corrupt) =>
        $"{store.Name}:aggregates(persistence_id={corrupt.PersistenceId},operation={corrupt.Key.Operation},dimensions={corrupt.Key.DimensionsKey},window_start={corrupt.Key.WindowStart:O})";
}
