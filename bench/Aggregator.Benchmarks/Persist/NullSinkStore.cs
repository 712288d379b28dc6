using System.Runtime.CompilerServices;
using Aggregator.Actors.Persistence;
using Aggregator.Contracts;

namespace Aggregator.Benchmarks.Persist;

/// <summary>
/// A store that keeps nothing and answers at once: the sink over it costs the actors, batching and aggregate folding
/// without any database or serialization, which is how the attribution separates the actors' share.
/// </summary>
internal sealed class NullSinkStore : ISinkStore
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>();

    public string Name => "null";

    public Task InitializeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlySet<string>> AppendAsync(string persistenceId, IReadOnlyList<JournalRow> rows, CancellationToken cancellationToken = default) => Task.FromResult(None);

    public Task<long> HighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default) => Task.FromResult(0L);

    public IAsyncEnumerable<JournalRow> ReplayAsync(string persistenceId, long afterSequenceNr, Action<CorruptRow> onCorrupt, CancellationToken cancellationToken = default) => Empty();

    public Task<long> SnapshotSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default) => Task.FromResult(0L);

    public Task<IReadOnlyList<AggregateRow>> LoadAggregatesAsync(string persistenceId, IReadOnlyCollection<AggregateKey> keys, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AggregateRow>>([]);

    public Task SaveAggregatesAsync(string persistenceId, long coversSequenceNr, IReadOnlyCollection<AggregateRow> rows, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<ClosedEntry?> GetEntryAsync(string entryId, CancellationToken cancellationToken = default) => Task.FromResult<ClosedEntry?>(null);

    public Task<EntryPage> GetEntriesAsync(EntryQuery query, CancellationToken cancellationToken = default) => Task.FromResult(new EntryPage([], null));

    public Task<IReadOnlyList<AggregateRow>> GetAggregatesAsync(string operation, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AggregateRow>>([]);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static async IAsyncEnumerable<JournalRow> Empty([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield break;
    }
}
