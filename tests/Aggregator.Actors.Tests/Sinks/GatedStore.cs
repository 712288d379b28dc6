using Aggregator.Actors.Persistence;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Sinks;

/// <summary>
/// A real store with gates a test opens, to put a query exactly where a flush can hurt it: an aggregate save held
/// before its commit (<see cref="HoldSaves"/>, then <see cref="ReleaseCommit"/>) and after it, before the shard hears
/// of it (<see cref="ReleaseAcknowledgement"/>); and a hook that runs just before or just after the store reads the
/// aggregate rows for a query (<see cref="AroundNextRowsRead"/>), so a flush can be made to commit between a query's
/// reads. Every call reaches the real store; nothing is faked.
/// </summary>
internal sealed class GatedStore(ISinkStore inner) : ISinkStore
{
    private volatile Gate? gate;
    private int armed;
    private Func<Task>? beforeRows, afterRows;

    /// <summary>Completes when a held save waits before its commit.</summary>
    public Task SaveWaiting => Current.Waiting.Task;

    /// <summary>Completes when a held save has committed (its acknowledgement still held).</summary>
    public Task Committed => Current.Committed.Task;

    private Gate Current => gate ?? throw new InvalidOperationException("HoldSaves first");

    /// <summary>The next aggregate save waits before its commit and again after it.</summary>
    public void HoldSaves()
    {
        gate = new Gate();
        Volatile.Write(ref armed, 1);
    }

    public void ReleaseCommit() => Current.Commit.TrySetResult();

    public void ReleaseAcknowledgement() => Current.Acknowledge.TrySetResult();

    /// <summary>The next read of aggregate rows runs <paramref name="before"/> first and <paramref name="after"/> once the rows are read.</summary>
    public void AroundNextRowsRead(Func<Task>? before = null, Func<Task>? after = null)
    {
        beforeRows = before;
        afterRows = after;
    }

    public async Task SaveAggregatesAsync(string persistenceId, long coversSequenceNr, IReadOnlyCollection<AggregateRow> rows, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref armed, 0) == 0)
        {
            await inner.SaveAggregatesAsync(persistenceId, coversSequenceNr, rows, cancellationToken);
            return;
        }
        var held = Current;
        held.Waiting.TrySetResult();
        await held.Commit.Task;
        await inner.SaveAggregatesAsync(persistenceId, coversSequenceNr, rows, cancellationToken);
        held.Committed.TrySetResult();
        await held.Acknowledge.Task;
    }

    public async Task<IReadOnlyList<AggregateRow>> GetAggregatesAsync(string operation, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref beforeRows, null) is { } before) await before();
        var rows = await inner.GetAggregatesAsync(operation, from, to, cancellationToken);
        if (Interlocked.Exchange(ref afterRows, null) is { } after) await after();
        return rows;
    }

    public string Name => inner.Name;

    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public Task<IReadOnlySet<string>> AppendAsync(string persistenceId, IReadOnlyList<JournalRow> rows, CancellationToken cancellationToken = default) =>
        inner.AppendAsync(persistenceId, rows, cancellationToken);

    public Task<long> HighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default) => inner.HighestSequenceNrAsync(persistenceId, cancellationToken);

    public IAsyncEnumerable<JournalRow> ReplayAsync(string persistenceId, long afterSequenceNr, Action<CorruptRow> onCorrupt, CancellationToken cancellationToken = default) =>
        inner.ReplayAsync(persistenceId, afterSequenceNr, onCorrupt, cancellationToken);

    public Task<long> SnapshotSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default) => inner.SnapshotSequenceNrAsync(persistenceId, cancellationToken);

    public Task<IReadOnlyList<AggregateRow>> LoadAggregatesAsync(string persistenceId, IReadOnlyCollection<AggregateKey> keys, CancellationToken cancellationToken = default) =>
        inner.LoadAggregatesAsync(persistenceId, keys, cancellationToken);

    public Task<ClosedEntry?> GetEntryAsync(string entryId, CancellationToken cancellationToken = default) => inner.GetEntryAsync(entryId, cancellationToken);

    public Task<EntryPage> GetEntriesAsync(EntryQuery query, CancellationToken cancellationToken = default) => inner.GetEntriesAsync(query, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask; // the fixture's life disposes the real store

    private sealed class Gate
    {
        public TaskCompletionSource Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Commit { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Acknowledge { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
