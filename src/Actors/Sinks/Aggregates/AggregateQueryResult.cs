using Aggregator.Actors.Persistence;
using Aggregator.Contracts;

namespace Aggregator.Actors.Sinks.Aggregates;

/// <summary>What an <see cref="AggregateQuery"/> found: one group per distinct group-by value set, and the rows it had to skip.</summary>
public sealed record AggregateQueryResult(IReadOnlyList<AggregateGroup> Groups, IReadOnlyList<CorruptAggregate> Corrupt)
{
    /// <summary>
    /// Persistence ids of the sink shards answered from the store alone (stopped, not answering in time, still
    /// recovering): their flushed aggregates are in the groups, the entries they folded since their last flush are not.
    /// Empty when every shard added its unflushed partials.
    /// </summary>
    public IReadOnlyList<string> StoreOnlyShards { get; init; } = [];

    /// <summary>Why the answer may be incomplete, in words for an operator: one line per store-only shard or skipped range.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

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

/// <summary>
/// A stored aggregate row that could not be read or decoded: whose it is, its key and why, so an operator can find it.
/// <see cref="PersistenceId"/> and the key's dimensions are "*" when the store could not read a row of a window and
/// the whole window was skipped.
/// </summary>
public sealed record CorruptAggregate(string PersistenceId, AggregateKey Key, string Reason)
{
    /// <summary>Where the row is (store, table and key), when the query knows the store; null otherwise.</summary>
    public string? Location { get; init; }
}
