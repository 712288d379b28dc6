using System.Diagnostics;
using Aggregator.Actors.Persistence;
using Aggregator.Contracts;

namespace Aggregator.Benchmarks.Persist;

/// <summary>
/// Passes every call to the real store and times the two the sink makes under load: journal appends (how many, how
/// many rows each, how long) and aggregate flushes (load + save). That is how the benchmark sees the batch size the
/// shards actually write and what a flush costs, without touching the sink. One timestamp pair per call: nothing
/// per entry.
/// </summary>
internal sealed class TimedSinkStore(ISinkStore inner) : ISinkStore
{
    private long appends, appendedRows, appendTicks, maxBatch, loads, loadTicks, saves, saveTicks, savedRows;

    public string Name => inner.Name;

    public StoreTimings Timings => new(
        Interlocked.Read(ref appends), Interlocked.Read(ref appendedRows), Interlocked.Read(ref appendTicks), Interlocked.Read(ref maxBatch),
        Interlocked.Read(ref loads), Interlocked.Read(ref loadTicks), Interlocked.Read(ref saves), Interlocked.Read(ref saveTicks), Interlocked.Read(ref savedRows));

    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public async Task<IReadOnlySet<string>> AppendAsync(string persistenceId, IReadOnlyList<JournalRow> rows, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var skipped = await inner.AppendAsync(persistenceId, rows, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref appendTicks, Stopwatch.GetTimestamp() - started);
        Interlocked.Increment(ref appends);
        Interlocked.Add(ref appendedRows, rows.Count);
        long seen;
        while (rows.Count > (seen = Interlocked.Read(ref maxBatch)) && Interlocked.CompareExchange(ref maxBatch, rows.Count, seen) != seen) { }
        return skipped;
    }

    public async Task<IReadOnlyList<AggregateRow>> LoadAggregatesAsync(string persistenceId, IReadOnlyCollection<AggregateKey> keys, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var rows = await inner.LoadAggregatesAsync(persistenceId, keys, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref loadTicks, Stopwatch.GetTimestamp() - started);
        Interlocked.Increment(ref loads);
        return rows;
    }

    public async Task SaveAggregatesAsync(string persistenceId, long coversSequenceNr, IReadOnlyCollection<AggregateRow> rows, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        await inner.SaveAggregatesAsync(persistenceId, coversSequenceNr, rows, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref saveTicks, Stopwatch.GetTimestamp() - started);
        Interlocked.Increment(ref saves);
        Interlocked.Add(ref savedRows, rows.Count);
    }

    public Task<long> HighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default) => inner.HighestSequenceNrAsync(persistenceId, cancellationToken);

    public IAsyncEnumerable<JournalRow> ReplayAsync(string persistenceId, long afterSequenceNr, Action<CorruptRow> onCorrupt, CancellationToken cancellationToken = default) =>
        inner.ReplayAsync(persistenceId, afterSequenceNr, onCorrupt, cancellationToken);

    public Task<long> SnapshotSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default) => inner.SnapshotSequenceNrAsync(persistenceId, cancellationToken);

    public Task<ClosedEntry?> GetEntryAsync(string entryId, CancellationToken cancellationToken = default) => inner.GetEntryAsync(entryId, cancellationToken);

    public Task<EntryPage> GetEntriesAsync(EntryQuery query, CancellationToken cancellationToken = default) => inner.GetEntriesAsync(query, cancellationToken);

    public Task<IReadOnlyList<AggregateRow>> GetAggregatesAsync(string operation, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        inner.GetAggregatesAsync(operation, from, to, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}

/// <summary>Totals of a <see cref="TimedSinkStore"/>; subtract two to get a round's share.</summary>
internal readonly record struct StoreTimings(
    long Appends, long AppendedRows, long AppendTicks, long MaxBatch, long Loads, long LoadTicks, long Saves, long SaveTicks, long SavedRows)
{
    public double MeanBatch => Appends == 0 ? 0 : (double)AppendedRows / Appends;

    public double AppendMilliseconds => AppendTicks * 1000.0 / Stopwatch.Frequency;

    /// <summary>Flush = load the stored rows of the touched keys + save the merged rows and the snapshot.</summary>
    public double FlushMilliseconds => (LoadTicks + SaveTicks) * 1000.0 / Stopwatch.Frequency;

    public static StoreTimings operator -(StoreTimings a, StoreTimings b) => new(
        a.Appends - b.Appends, a.AppendedRows - b.AppendedRows, a.AppendTicks - b.AppendTicks, a.MaxBatch,
        a.Loads - b.Loads, a.LoadTicks - b.LoadTicks, a.Saves - b.Saves, a.SaveTicks - b.SaveTicks, a.SavedRows - b.SavedRows);
}
