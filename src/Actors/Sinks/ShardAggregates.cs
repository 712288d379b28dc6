using Aggregator.Actors.Persistence;
using Aggregator.Actors.Sinks.Aggregates;
using Aggregator.Contracts;

namespace Aggregator.Actors.Sinks;

/// <summary>
/// A sink shard's partial aggregates between two flushes, and the upsert-merge that stores them: load the rows the
/// store holds for the touched keys, merge (sketches bucket by bucket), save them with the sequence number they cover.
/// A flush that failed hands its partials back with <see cref="Absorb"/>, so nothing folded is ever lost; and since a
/// failed flush may have committed after all (its acknowledgement lost), every part remembers the sequence number of
/// the first flush it was handed to, and a save skips the parts the store's snapshot already covers: nothing is
/// merged twice either. This relies on the shard being its persistence id's only writer.
/// </summary>
internal sealed class ShardAggregates(TimeSpan window)
{
    /// <summary>A part never handed to a save yet.</summary>
    private const long Unsaved = long.MaxValue;

    private readonly AggregateWindow window = new(window);
    private readonly List<Part> parts = [new Part(new PartialAggregates())];

    private sealed class Part(PartialAggregates aggregates)
    {
        public PartialAggregates Aggregates { get; } = aggregates;

        /// <summary>The sequence number of the first flush this part was handed to, or <see cref="Unsaved"/>.</summary>
        public long Covers { get; set; } = Unsaved;
    }

    public bool IsEmpty => parts.TrueForAll(p => p.Aggregates.Count == 0);

    public void Fold(ClosedEntry entry) => Fresh().Aggregates.Fold(entry, window);

    /// <summary>Takes over everything <paramref name="other"/> holds (it must not be used afterwards).</summary>
    public void Absorb(ShardAggregates other) => parts.AddRange(other.parts.Where(p => p.Aggregates.Count > 0));

    /// <summary>
    /// Marks every part as handed to the flush covering <paramref name="coversSequenceNr"/> (a part keeps the first
    /// flush it was handed to). Called on the shard's turn, before the save starts, so a query on that turn reads the
    /// parts' covers without racing the save.
    /// </summary>
    public void HandOver(long coversSequenceNr)
    {
        foreach (var part in parts) part.Covers = Math.Min(part.Covers, coversSequenceNr);
    }

    /// <summary>
    /// Copies of the parts' rows of <paramref name="operation"/> with windows starting in [<paramref name="from"/>,
    /// <paramref name="to"/>), each with the snapshot sequence number from which the store holds it: the flush it was
    /// handed to, or for a part never handed over <paramref name="highestSequenceNr"/> (it holds no entry beyond it,
    /// and the first flush that takes it covers at least that). A store whose snapshot is below that number does not
    /// hold the part; at or above, it does. Encoded on the caller's turn, so the copies do not change afterwards.
    /// </summary>
    public IEnumerable<PendingPart> Pending(string persistenceId, long highestSequenceNr, string operation, DateTimeOffset from, DateTimeOffset to)
    {
        foreach (var part in parts)
        {
            var rows = part.Aggregates.RowsOf(persistenceId, operation, from, to);
            if (rows.Count > 0) yield return new PendingPart(part.Covers == Unsaved ? highestSequenceNr : part.Covers, rows);
        }
    }

    /// <summary>
    /// One transaction in the store: the merged rows and the snapshot sequence number they cover. Safe to retry: a retry
    /// after a save that did commit finds the snapshot at <paramref name="coversSequenceNr"/> and merges nothing again.
    /// </summary>
    public async Task SaveAsync(ISinkStore store, string persistenceId, long coversSequenceNr, Action<CorruptRow> onCorrupt, CancellationToken cancellationToken)
    {
        HandOver(coversSequenceNr);
        var saved = await store.SnapshotSequenceNrAsync(persistenceId, cancellationToken).ConfigureAwait(false);
        var unsaved = parts.Where(p => p.Covers > saved && p.Aggregates.Count > 0).ToList();
        if (unsaved.Count == 0 && saved >= coversSequenceNr) return;

        var keys = unsaved.SelectMany(p => p.Aggregates.Keys).ToHashSet();
        var merged = new Dictionary<AggregateKey, AggregateRow>();
        if (keys.Count > 0)
            foreach (var row in await LoadAsync(store, persistenceId, keys, onCorrupt, cancellationToken).ConfigureAwait(false))
                merged[row.Key] = row;
        foreach (var part in unsaved)
            foreach (var row in part.Aggregates.ToRows(persistenceId, merged.Values, corrupt => onCorrupt(AsCorruptRow(store, corrupt))))
                merged[row.Key] = row;
        await store.SaveAggregatesAsync(persistenceId, coversSequenceNr, merged.Values, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The stored rows for <paramref name="keys"/>. A row the store cannot read (say, its dimensions column is damaged)
    /// would fail every flush of the shard forever: it is found key by key, reported with its location, and left out,
    /// so this flush replaces it with the new partial instead of getting stuck.
    /// </summary>
    private static async Task<IReadOnlyList<AggregateRow>> LoadAsync(ISinkStore store, string persistenceId, HashSet<AggregateKey> keys, Action<CorruptRow> onCorrupt, CancellationToken cancellationToken)
    {
        try
        {
            return await store.LoadAggregatesAsync(persistenceId, keys, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            var readable = new List<AggregateRow>();
            foreach (var key in keys)
            {
                try
                {
                    readable.AddRange(await store.LoadAggregatesAsync(persistenceId, [key], cancellationToken).ConfigureAwait(false));
                }
                catch (InvalidDataException unreadable)
                {
                    onCorrupt(new CorruptRow(persistenceId, 0, Location(store, persistenceId, key), "stored aggregate unreadable, replaced by the new partial: " + unreadable.Message));
                }
            }
            return readable;
        }
    }

    /// <summary>The part new entries are folded into: never handed to a save.</summary>
    private Part Fresh()
    {
        var last = parts[^1];
        if (last.Covers == Unsaved) return last;
        var fresh = new Part(new PartialAggregates());
        parts.Add(fresh);
        return fresh;
    }

    private static CorruptRow AsCorruptRow(ISinkStore store, CorruptAggregate corrupt) =>
        new(corrupt.PersistenceId, 0, Location(store, corrupt.PersistenceId, corrupt.Key), "stored aggregate replaced by the new partial: " + corrupt.Reason);

    private static string Location(ISinkStore store, string persistenceId, AggregateKey key) =>
        $"{store.Name}:aggregates(persistence_id={persistenceId},operation={key.Operation},dimensions={key.DimensionsKey},window_start={key.WindowStart:O})";
}
