using System.Text.Json.Serialization;

namespace Aggregator.Contracts;

/// <summary>
/// The wide record an entry becomes when it closes, exactly once per opened (not discarded) id: what sinks
/// persist and aggregate. Slot fields appear flattened as <c>slot.field</c>; global dimensions are merged into
/// <see cref="Dimensions"/> (the entry's own win on a clash).
/// </summary>
/// <remarks>On the wire the id is <c>"entry"</c>, as in every message (<c>{"op":"open","entry":"e-1",…}</c>).</remarks>
public sealed record ClosedEntry(
    [property: JsonPropertyName("entry")] string Id,
    string Operation,
    IReadOnlyDictionary<string, string> Dimensions,
    IReadOnlyDictionary<string, FieldValue> Fields,
    IReadOnlyDictionary<string, long> Counters,
    IReadOnlyDictionary<string, DistributionSummary> Distributions,
    DateTimeOffset OpenedAt,
    DateTimeOffset ClosedAt,
    CloseReason CloseReason,
    IReadOnlyList<string> Pending,
    IReadOnlyList<string> FailedSlots,
    long InFlightAtOpen)
{
    /// <summary>Derived, so not on the wire: a reader computes it from openedAt and closedAt, and the two can never disagree.</summary>
    [JsonIgnore]
    public TimeSpan Duration => ClosedAt - OpenedAt;
}

/// <summary>A per-entry distribution summarised at close. Quantiles are exact while the entry kept every observation.</summary>
public sealed record DistributionSummary(
    long Count,
    double Sum,
    double Min,
    double Max,
    FieldUnit Unit,
    IReadOnlyList<QuantileValue> Quantiles);

/// <summary>One quantile of a distribution, e.g. (0.99, 12.5).</summary>
public readonly record struct QuantileValue(double Quantile, double Value);
