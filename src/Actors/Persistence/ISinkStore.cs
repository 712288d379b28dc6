using Aggregator.Contracts;

namespace Aggregator.Actors.Persistence;

/// <summary>
/// Where sink shards keep what they must not lose: each shard's journal of closed entries (persistence id
/// <c>sink-&lt;shard&gt;</c>, increasing sequence numbers), the partial aggregates it has flushed, and the sequence
/// number those aggregates cover (the snapshot). Recovery is snapshot + replay of later journal rows. The store never
/// interprets aggregate state (an opaque blob), so SQLite and PostgreSQL implement the same small contract and run the
/// same tests. Implementations are safe for one writer per persistence id and any number of readers.
/// </summary>
public interface ISinkStore : IAsyncDisposable
{
    /// <summary>"sqlite" or "postgres", for logs and inspection.</summary>
    string Name { get; }

    /// <summary>Creates or migrates the schema; safe to call at every start.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends rows for <paramref name="persistenceId"/> in one transaction. Idempotent by entry id: an entry whose id
    /// is already stored (under any persistence id) is not written again. Returns the ids that were skipped as
    /// duplicates, so the caller folds only new entries into its aggregates.
    /// </summary>
    Task<IReadOnlySet<string>> AppendAsync(string persistenceId, IReadOnlyList<JournalRow> rows, CancellationToken cancellationToken = default);

    /// <summary>The highest sequence number journaled for the persistence id, 0 if none.</summary>
    Task<long> HighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The persistence id's rows with a sequence number above <paramref name="afterSequenceNr"/>, in order. A row that
    /// cannot be read is reported to <paramref name="onCorrupt"/> with its location and skipped, never thrown.
    /// </summary>
    IAsyncEnumerable<JournalRow> ReplayAsync(string persistenceId, long afterSequenceNr, Action<CorruptRow> onCorrupt, CancellationToken cancellationToken = default);

    /// <summary>The sequence number the persistence id's stored aggregates cover (its snapshot), 0 if none.</summary>
    Task<long> SnapshotSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default);

    /// <summary>The persistence id's stored aggregate rows for these keys (the ones that exist), to merge into before saving.</summary>
    Task<IReadOnlyList<AggregateRow>> LoadAggregatesAsync(string persistenceId, IReadOnlyCollection<AggregateKey> keys, CancellationToken cancellationToken = default);

    /// <summary>
    /// In one transaction: writes (inserts or replaces) the persistence id's aggregate rows and records that they
    /// cover the journal up to <paramref name="coversSequenceNr"/>. A crash leaves either both or neither.
    /// </summary>
    Task SaveAggregatesAsync(string persistenceId, long coversSequenceNr, IReadOnlyCollection<AggregateRow> rows, CancellationToken cancellationToken = default);

    /// <summary>One stored entry by id, or null.</summary>
    Task<ClosedEntry?> GetEntryAsync(string entryId, CancellationToken cancellationToken = default);

    /// <summary>Entries of an operation closed in [From, To), oldest first, a page at a time.</summary>
    Task<EntryPage> GetEntriesAsync(EntryQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every persistence id's aggregate rows of an operation whose window starts in [from, to).</summary>
    Task<IReadOnlyList<AggregateRow>> GetAggregatesAsync(string operation, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);
}

/// <summary>One journaled entry: its place in the shard's journal and the entry itself.</summary>
public sealed record JournalRow(long SequenceNr, ClosedEntry Entry);

/// <summary>A stored row that could not be read: where it is and why, so an operator can find it.</summary>
public sealed record CorruptRow(string PersistenceId, long SequenceNr, string Location, string Reason);

/// <summary>
/// What a partial aggregate is kept per: operation, the canonical text of its dimension set, and the start of its
/// time window (UTC, aligned to the window length).
/// </summary>
public readonly record struct AggregateKey(string Operation, string DimensionsKey, DateTimeOffset WindowStart);

/// <summary>
/// One stored partial aggregate of one persistence id. <see cref="State"/> is the encoded aggregate (counts, close
/// reasons, per-metric count/sum/min/max and sketch); stores keep it as bytes and never decode it.
/// </summary>
public sealed record AggregateRow(
    string PersistenceId,
    AggregateKey Key,
    IReadOnlyDictionary<string, string> Dimensions,
    byte[] State);

/// <summary>
/// A page of entries of <see cref="Operation"/> closed in [<see cref="From"/>, <see cref="To"/>). Pass the previous
/// page's <see cref="EntryPage.Next"/> as <see cref="After"/> to continue; the order is (closedAt, id).
/// </summary>
public sealed record EntryQuery(string Operation, DateTimeOffset From, DateTimeOffset To, int Limit = 100, string? After = null);

/// <summary>A page of entries; <see cref="Next"/> is null on the last page.</summary>
public sealed record EntryPage(IReadOnlyList<ClosedEntry> Entries, string? Next);
