using Aggregator.Actors.Persistence;
using Aggregator.Contracts;

namespace Aggregator.Actors.Sinks.Aggregates;

/// <summary>What an <see cref="AggregateQuery"/> found: one group per distinct group-by value set, and the rows it had to skip.</summary>
public sealed record AggregateQueryResult(IReadOnlyList<AggregateGroup> Groups, IReadOnlyList<CorruptAggregate> Corrupt);

/// <summary>
/// The merged aggregates of one group: its operation, its group-by dimension values (a row without one of them has
/// no entry for it here), and every shard's and window's partials combined.
/// </summary>
public sealed record AggregateGroup(
    string Operation,
    IReadOnlyDictionary<string, string> Dimensions,
    long Entries,
    IReadOnlyDictionary<CloseReason, long> Reasons,
    long RejectedValues,
    IReadOnlyList<MetricResult> Metrics);

/// <summary>
/// One metric of a group: exact count, sum, min, max and mean, and the requested quantiles from the merged sketch
/// (each within the sketch's relative accuracy, see <see cref="DDSketch"/>).
/// </summary>
public sealed record MetricResult(
    MetricKind Kind,
    string Name,
    long Count,
    double Sum,
    double Min,
    double Max,
    double Mean,
    IReadOnlyList<QuantileValue> Quantiles);

/// <summary>A stored aggregate row that could not be decoded: whose it is, its key and why, so an operator can find it.</summary>
public sealed record CorruptAggregate(string PersistenceId, AggregateKey Key, string Reason);
