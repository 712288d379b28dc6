using Aggregator.Actors.Persistence;
using Aggregator.Contracts;

namespace Aggregator.Actors.Sinks.Aggregates;

/// <summary>
/// The library side of "aggregates for an operation over a time range, optionally grouped by dimensions, with any
/// requested quantiles": takes the stored rows of every shard and window (<see cref="ISinkStore.GetAggregatesAsync"/>)
/// and merges them per group. Merging is exact for counts, sums, min and max, and keeps the sketches' relative
/// accuracy for the quantiles.
/// </summary>
/// <param name="GroupBy">Dimension names to group by; empty merges everything of an operation into one group.</param>
/// <param name="Quantiles">Quantiles to report per metric, each in [0, 1].</param>
public sealed record AggregateQuery(IReadOnlyList<string> GroupBy, IReadOnlyList<double> Quantiles)
{
    /// <summary>One group, the usual percentiles.</summary>
    public static AggregateQuery Default { get; } = new([], [0.5, 0.9, 0.99]);

    /// <summary>
    /// Decodes and merges <paramref name="rows"/>. Rows are grouped by operation too, so rows of several operations
    /// never mix. A row whose state does not decode (or whose sketches cannot merge with its group's) is reported in
    /// <see cref="AggregateQueryResult.Corrupt"/> and skipped. Groups come sorted by operation then dimension key,
    /// metrics by kind then name.
    /// </summary>
    public AggregateQueryResult Run(IReadOnlyList<AggregateRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Validate();

        var groups = new Dictionary<(string Operation, string DimensionsKey), (DimensionSet Dimensions, PartialAggregate Merged)>();
        var corrupt = new List<CorruptAggregate>();
        foreach (var row in rows)
        {
            if (!AggregateCodec.TryDecode(row.State, out var partial, out var error))
            {
                corrupt.Add(new CorruptAggregate(row.PersistenceId, row.Key, error));
                continue;
            }
            var dimensions = DimensionSet.Of(row.Dimensions).Project(GroupBy);
            var key = (row.Key.Operation, dimensions.Key);
            if (!groups.TryGetValue(key, out var group))
            {
                groups.Add(key, (dimensions, partial));
                continue;
            }
            try
            {
                group.Merged.Merge(partial);
            }
            catch (ArgumentException mismatch)
            {
                // A sketch of another relative accuracy: the merge refused before changing the group.
                corrupt.Add(new CorruptAggregate(row.PersistenceId, row.Key, $"cannot merge into its group: {mismatch.Message}"));
            }
        }

        var results = groups
            .OrderBy(g => g.Key.Operation, StringComparer.Ordinal)
            .ThenBy(g => g.Key.DimensionsKey, StringComparer.Ordinal)
            .Select(g => ToGroup(g.Key.Operation, g.Value.Dimensions, g.Value.Merged))
            .ToArray();
        return new AggregateQueryResult(results, corrupt);
    }

    /// <summary>Throws for a query no rows can answer (a quantile outside [0, 1]), so a caller can refuse it before reading anything.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(GroupBy);
        ArgumentNullException.ThrowIfNull(Quantiles);
        foreach (var q in Quantiles)
            if (!(q >= 0 && q <= 1)) throw new ArgumentOutOfRangeException(nameof(Quantiles), q, "A requested quantile must be in [0, 1].");
    }

    private AggregateGroup ToGroup(string operation, DimensionSet dimensions, PartialAggregate merged) =>
        new(operation,
            dimensions.Dimensions,
            merged.Entries,
            new SortedDictionary<CloseReason, long>(merged.Reasons.ToDictionary()),
            merged.RejectedValues,
            merged.Metrics.OrderBy(m => m.Key).Select(m => ToMetric(m.Key, m.Value)).ToArray());

    private MetricResult ToMetric(MetricKey key, MetricSummary summary) =>
        new(key.Kind,
            key.Name,
            summary.Count,
            summary.Sum,
            summary.Min,
            summary.Max,
            summary.Mean,
            Quantiles.Select(q => new QuantileValue(q, summary.Sketch.Quantile(q))).ToArray());
}
