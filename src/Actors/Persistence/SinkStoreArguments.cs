using Aggregator.Contracts;

namespace Aggregator.Actors.Persistence;

/// <summary>
/// The argument checks every <see cref="ISinkStore"/> makes before it touches storage. They are part of the store
/// contract, not of a database: written once so the SQLite and PostgreSQL stores refuse the same calls with the same
/// exceptions, and a bad call fails at the caller instead of as a driver or constraint error from inside a write.
/// </summary>
internal static class SinkStoreArguments
{
    /// <summary>A journal batch: every row and entry present, sequence numbers from 1.</summary>
    public static void CheckBatch(string persistenceId, IReadOnlyList<JournalRow> rows)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
        {
            if (row?.Entry is null) throw new ArgumentException("A batch cannot hold a null row or entry.", nameof(rows));
            if (row.SequenceNr <= 0) throw new ArgumentOutOfRangeException(nameof(rows), row.SequenceNr, $"Sequence numbers start at 1 (entry {row.Entry.Id}).");
        }
    }

    /// <summary>A replay request; checked where the call is made, since the replay itself is lazy.</summary>
    public static void CheckReplay(string persistenceId, long afterSequenceNr, Action<CorruptRow> onCorrupt)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequenceNr);
        ArgumentNullException.ThrowIfNull(onCorrupt);
    }

    /// <summary>The keys of an aggregate lookup: each names an operation and a dimensions key.</summary>
    public static void CheckKeys(string persistenceId, IReadOnlyCollection<AggregateKey> keys)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys) CheckKey(key, nameof(keys));
    }

    /// <summary>An aggregate flush: every row present, of this persistence id, with a state, dimensions and a full key.</summary>
    public static void CheckAggregates(string persistenceId, long coversSequenceNr, IReadOnlyCollection<AggregateRow> rows)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ArgumentOutOfRangeException.ThrowIfNegative(coversSequenceNr);
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
        {
            if (row is null) throw new ArgumentException("Aggregate rows cannot be null.", nameof(rows));
            if (row.PersistenceId != persistenceId)
            {
                throw new ArgumentException($"An aggregate row of {row.PersistenceId} cannot be saved under {persistenceId}.", nameof(rows));
            }
            ArgumentNullException.ThrowIfNull(row.State, nameof(rows));
            ArgumentNullException.ThrowIfNull(row.Dimensions, nameof(rows));
            CheckKey(row.Key, nameof(rows));
        }
    }

    /// <summary>
    /// An entry query: an operation and a limit of 1 to <paramref name="maxPageSize"/>. The cursor in
    /// <see cref="EntryQuery.After"/> is left to the store, whose own format it is.
    /// </summary>
    public static void CheckEntryQuery(EntryQuery query, int maxPageSize)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(query.Operation, nameof(query));
        if (query.Limit < 1 || query.Limit > maxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, $"EntryQuery.Limit must be between 1 and {maxPageSize}.");
        }
    }

    private static void CheckKey(AggregateKey key, string paramName)
    {
        if (key.Operation is null || key.DimensionsKey is null) throw new ArgumentException("An aggregate key needs an operation and a dimensions key.", paramName);
    }
}
