using Aggregator.Actors.Persistence;
using Aggregator.Contracts;

namespace Aggregator.Actors.Sinks.Aggregates;

/// <summary>
/// The partial aggregates a sink shard builds between flushes, one per <see cref="AggregateKey"/>; on flush they
/// become <see cref="AggregateRow"/>s (merged into what the store already holds) and the map is cleared.
/// </summary>
public sealed class PartialAggregates
{
    private readonly Dictionary<AggregateKey, (DimensionSet Dimensions, PartialAggregate Aggregate)> partials = [];

    public PartialAggregates(double relativeAccuracy = DDSketch.DefaultRelativeAccuracy, int maxBuckets = DDSketch.DefaultMaxBuckets)
    {
        _ = new DDSketch(relativeAccuracy, maxBuckets);
        RelativeAccuracy = relativeAccuracy;
        MaxBuckets = maxBuckets;
    }

    public double RelativeAccuracy { get; }

    public int MaxBuckets { get; }

    public int Count => partials.Count;

    public IReadOnlyCollection<AggregateKey> Keys => partials.Keys;

    /// <summary>Folds a closed entry into the partial of its operation, dimensions and the window of its close time.</summary>
    public void Fold(ClosedEntry entry, TimeSpan window) => Fold(entry, new AggregateWindow(window));

    /// <inheritdoc cref="Fold(ClosedEntry, TimeSpan)"/>
    public void Fold(ClosedEntry entry, AggregateWindow window)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var dimensions = DimensionSet.Of(entry.Dimensions);
        var key = new AggregateKey(entry.Operation, dimensions.Key, window.StartOf(entry.ClosedAt));
        if (!partials.TryGetValue(key, out var partial))
        {
            partial = (dimensions, new PartialAggregate(RelativeAccuracy, MaxBuckets));
            partials.Add(key, partial);
        }
        partial.Aggregate.Fold(entry);
    }

    /// <summary>The partial of <paramref name="key"/>, if anything was folded into it since the last <see cref="Clear"/>.</summary>
    public bool TryGet(AggregateKey key, out PartialAggregate aggregate)
    {
        var found = partials.TryGetValue(key, out var partial);
        aggregate = partial.Aggregate;
        return found;
    }

    /// <summary>
    /// The rows to save for <paramref name="persistenceId"/>: each partial encoded, merged first with the row the store
    /// already holds for its key (<paramref name="stored"/>, from <see cref="ISinkStore.LoadAggregatesAsync"/>): the
    /// upsert-merge. A stored row that cannot be decoded is reported to <paramref name="onCorrupt"/> and replaced by
    /// the new partial alone (its old counts are lost, but the shard keeps going). This map is not changed.
    /// </summary>
    public IReadOnlyList<AggregateRow> ToRows(string persistenceId, IReadOnlyCollection<AggregateRow>? stored = null, Action<CorruptAggregate>? onCorrupt = null)
    {
        ArgumentNullException.ThrowIfNull(persistenceId);
        var previous = new Dictionary<AggregateKey, AggregateRow>();
        if (stored is not null)
            foreach (var row in stored) previous[row.Key] = row;

        var rows = new List<AggregateRow>(partials.Count);
        foreach (var (key, (dimensions, aggregate)) in partials)
        {
            var state = aggregate;
            if (previous.TryGetValue(key, out var old))
            {
                if (AggregateCodec.TryDecode(old.State, out var decoded, out var error))
                {
                    decoded.Merge(aggregate);
                    state = decoded;
                }
                else
                {
                    onCorrupt?.Invoke(new CorruptAggregate(old.PersistenceId, key, error));
                }
            }
            rows.Add(new AggregateRow(persistenceId, key, dimensions.Dimensions, AggregateCodec.Encode(state)));
        }
        return rows;
    }

    /// <summary>
    /// The partials of <paramref name="operation"/> whose windows start in [<paramref name="from"/>, <paramref name="to"/>),
    /// encoded as rows of <paramref name="persistenceId"/>: a copy a query can merge off the shard's turn while the shard
    /// keeps folding into the originals.
    /// </summary>
    public IReadOnlyList<AggregateRow> RowsOf(string persistenceId, string operation, DateTimeOffset from, DateTimeOffset to)
    {
        var rows = new List<AggregateRow>();
        foreach (var (key, (dimensions, aggregate)) in partials)
            if (key.Operation == operation && key.WindowStart >= from && key.WindowStart < to)
                rows.Add(new AggregateRow(persistenceId, key, dimensions.Dimensions, AggregateCodec.Encode(aggregate)));
        return rows;
    }

    public void Clear()
    {
        partials.Clear();
    }
}
