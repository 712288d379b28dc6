using Aggregator.Actors.Persistence;
using Aggregator.Actors.Sinks.Aggregates;
using Aggregator.Contracts;

namespace Aggregator.Actors.Sinks;

/// <summary>
/// A sink shard's partial aggregates between two flushes, and the upsert-merge that stores them: load the rows the
/// store holds for the touched keys, merge (sketches bucket by bucket), save them with the sequence number they cover.
/// A flush that failed hands its partials back with <see cref="Absorb"/>, so nothing folded is ever lost.
/// </summary>
internal sealed class ShardAggregates(TimeSpan window)
{
    private readonly AggregateWindow window = new(window);
    private readonly List<PartialAggregates> parts = [new PartialAggregates()];

    public bool IsEmpty => parts.TrueForAll(p => p.Count == 0);

    public void Fold(ClosedEntry entry) => parts[0].Fold(entry, window);

    /// <summary>Takes over everything <paramref name="other"/> holds (it must not be used afterwards).</summary>
    public void Absorb(ShardAggregates other) => parts.AddRange(other.parts.Where(p => p.Count > 0));

    /// <summary>One transaction in the store: the merged rows and the snapshot sequence number they cover.</summary>
    public async Task SaveAsync(ISinkStore store, string persistenceId, long coversSequenceNr, Action<CorruptRow> onCorrupt, CancellationToken cancellationToken)
    {
        var keys = parts.SelectMany(p => p.Keys).ToHashSet();
        var merged = new Dictionary<AggregateKey, AggregateRow>();
        if (keys.Count > 0)
            foreach (var row in await store.LoadAggregatesAsync(persistenceId, keys, cancellationToken).ConfigureAwait(false))
                merged[row.Key] = row;
        foreach (var part in parts)
            foreach (var row in part.ToRows(persistenceId, merged.Values, corrupt => onCorrupt(AsCorruptRow(store, corrupt))))
                merged[row.Key] = row;
        await store.SaveAggregatesAsync(persistenceId, coversSequenceNr, merged.Values, cancellationToken).ConfigureAwait(false);
    }

    private static CorruptRow AsCorruptRow(ISinkStore store, CorruptAggregate corrupt) =>
        new(corrupt.PersistenceId, 0,
            $"{store.Name}:aggregates(persistence_id={corrupt.PersistenceId},operation={corrupt.Key.Operation},dimensions={corrupt.Key.DimensionsKey},window_start={corrupt.Key.WindowStart:O})",
            "stored aggregate replaced by the new partial: " + corrupt.Reason);
}
