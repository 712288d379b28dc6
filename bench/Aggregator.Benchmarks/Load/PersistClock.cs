using System.Collections.Concurrent;
using System.Diagnostics;
using Aggregator.Actors.Persistence;
using Aggregator.Contracts;

namespace Aggregator.Benchmarks.Load;

/// <summary>
/// The service's store, decorated: every journal append is passed on, and once it returns (the rows are committed)
/// the rows are counted and any sampled entry among them gets its close-to-persisted latency. The resolution is the
/// append's return, i.e. the commit, measured with <see cref="Stopwatch"/>; the count is what the producers' window
/// reads instead of asking the sink shards.
/// </summary>
internal sealed class PersistClock(ISinkStore inner) : ISinkStore
{
    private readonly ConcurrentDictionary<string, long> closedAt = new(StringComparer.Ordinal);
    private readonly List<double> latenciesMs = [];
    private long appended;

    public long Appended => Interlocked.Read(ref appended);

    /// <summary>Sampled entries closed and not yet persisted.</summary>
    public int Pending => closedAt.Count;

    /// <summary>Starts timing an entry; call just before its close is sent.</summary>
    public void Closing(string entryId) => closedAt[entryId] = Stopwatch.GetTimestamp();

    /// <summary>Takes the latencies measured so far and forgets the pending samples.</summary>
    public (List<double> LatenciesMs, int Missing) Take()
    {
        lock (latenciesMs)
        {
            var taken = new List<double>(latenciesMs);
            latenciesMs.Clear();
            var missing = closedAt.Count;
            closedAt.Clear();
            return (taken, missing);
        }
    }

    public string Name => inner.Name;

    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public async Task<IReadOnlySet<string>> AppendAsync(string persistenceId, IReadOnlyList<JournalRow> rows, CancellationToken cancellationToken = default)
    {
        var skipped = await inner.AppendAsync(persistenceId, rows, cancellationToken).ConfigureAwait(false);
        var now = Stopwatch.GetTimestamp();
        Interlocked.Add(ref appended, rows.Count);
        if (!closedAt.IsEmpty)
        {
            foreach (var row in rows)
            {
                if (!closedAt.TryRemove(row.Entry.Id, out var closed)) continue;
                lock (latenciesMs) latenciesMs.Add(Stopwatch.GetElapsedTime(closed, now).TotalMilliseconds);
            }
        }
        return skipped;
    }

    public Task<long> HighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default) => inner.HighestSequenceNrAsync(persistenceId, cancellationToken);

    public IAsyncEnumerable<JournalRow> ReplayAsync(string persistenceId, long afterSequenceNr, Action<CorruptRow> onCorrupt, CancellationToken cancellationToken = default) =>
        inner.ReplayAsync(persistenceId, afterSequenceNr, onCorrupt, cancellationToken);

    public Task<long> SnapshotSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default) => inner.SnapshotSequenceNrAsync(persistenceId, cancellationToken);

    public Task<IReadOnlyList<AggregateRow>> LoadAggregatesAsync(string persistenceId, IReadOnlyCollection<AggregateKey> keys, CancellationToken cancellationToken = default) =>
        inner.LoadAggregatesAsync(persistenceId, keys, cancellationToken);

    public Task SaveAggregatesAsync(string persistenceId, long coversSequenceNr, IReadOnlyCollection<AggregateRow> rows, CancellationToken cancellationToken = default) =>
        inner.SaveAggregatesAsync(persistenceId, coversSequenceNr, rows, cancellationToken);

    public Task<ClosedEntry?> GetEntryAsync(string entryId, CancellationToken cancellationToken = default) => inner.GetEntryAsync(entryId, cancellationToken);

    public Task<EntryPage> GetEntriesAsync(EntryQuery query, CancellationToken cancellationToken = default) => inner.GetEntriesAsync(query, cancellationToken);

    public Task<IReadOnlyList<AggregateRow>> GetAggregatesAsync(string operation, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        inner.GetAggregatesAsync(operation, from, to, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
