using Aggregator.Actors.Persistence;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Sinks;

/// <summary>Which store call loses its acknowledgement the first time.</summary>
internal enum LostCall { Append, SaveAggregates }

/// <summary>
/// A store whose first journal append (or aggregate save) is committed but reported as failed, as when the server goes
/// away (or the connection breaks) between its COMMIT and the reply reaching the client. The caller cannot tell this
/// from a write that never happened, so it must find out from the store rather than trust its own view.
/// </summary>
internal sealed class LostAcknowledgementStore(ISinkStore inner, LostCall lost = LostCall.Append) : ISinkStore
{
    private int appends;
    private int saves;

    public string Name => inner.Name;

    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public async Task<IReadOnlySet<string>> AppendAsync(string persistenceId, IReadOnlyList<JournalRow> rows, CancellationToken cancellationToken = default)
    {
        var written = await inner.AppendAsync(persistenceId, rows, cancellationToken);
        if (lost == LostCall.Append && Interlocked.Increment(ref appends) == 1) throw new IOException("the connection broke after COMMIT, before its reply (simulated)");
        return written;
    }

    public Task<long> HighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default) => inner.HighestSequenceNrAsync(persistenceId, cancellationToken);

    public IAsyncEnumerable<JournalRow> ReplayAsync(string persistenceId, long afterSequenceNr, Action<CorruptRow> onCorrupt, CancellationToken cancellationToken = default) =>
        inner.ReplayAsync(persistenceId, afterSequenceNr, onCorrupt, cancellationToken);

    public Task<long> SnapshotSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default) => inner.SnapshotSequenceNrAsync(persistenceId, cancellationToken);

    public Task<IReadOnlyList<AggregateRow>> LoadAggregatesAsync(string persistenceId, IReadOnlyCollection<AggregateKey> keys, CancellationToken cancellationToken = default) =>
        inner.LoadAggregatesAsync(persistenceId, keys, cancellationToken);

    public async Task SaveAggregatesAsync(string persistenceId, long coversSequenceNr, IReadOnlyCollection<AggregateRow> rows, CancellationToken cancellationToken = default)
    {
        await inner.SaveAggregatesAsync(persistenceId, coversSequenceNr, rows, cancellationToken);
        if (lost == LostCall.SaveAggregates && Interlocked.Increment(ref saves) == 1) throw new IOException("the connection broke after COMMIT, before its reply (simulated)");
    }

    public Task<ClosedEntry?> GetEntryAsync(string entryId, CancellationToken cancellationToken = default) => inner.GetEntryAsync(entryId, cancellationToken);

    public Task<EntryPage> GetEntriesAsync(EntryQuery query, CancellationToken cancellationToken = default) => inner.GetEntriesAsync(query, cancellationToken);

    public Task<IReadOnlyList<AggregateRow>> GetAggregatesAsync(string operation, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        inner.GetAggregatesAsync(operation, from, to, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask; // the fixture's life disposes the real store
}
