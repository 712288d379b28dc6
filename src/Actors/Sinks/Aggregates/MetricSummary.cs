using Aggregator.Contracts;

namespace Aggregator.Actors.Sinks.Aggregates;

/// <summary>
/// What a partial aggregate keeps per metric: count, sum, min and max exactly, and a <see cref="DDSketch"/> for its
/// quantiles; all of it merges, so shards and windows combine without the raw values.
/// </summary>
/// <remarks>
/// Count, min and max are the sketch's (exact by construction, also for distributions: see
/// <see cref="DistributionPoints"/>). The sum is kept here: for a distribution the sketch only sees representative
/// points, whose sum differs from the distribution's exact one.
/// </remarks>
public sealed class MetricSummary
{
    public MetricSummary(double relativeAccuracy = DDSketch.DefaultRelativeAccuracy, int maxBuckets = DDSketch.DefaultMaxBuckets)
        : this(new DDSketch(relativeAccuracy, maxBuckets), 0) { }

    internal MetricSummary(DDSketch sketch, double sum)
    {
        Sketch = sketch;
        Sum = sum;
    }

    public long Count => Sketch.Count;

    public double Sum { get; private set; }

    /// <summary>Smallest value; +∞ while empty.</summary>
    public double Min => Sketch.Min;

    /// <summary>Largest value; −∞ while empty.</summary>
    public double Max => Sketch.Max;

    public double Mean => Count == 0 ? double.NaN : Sum / Count;

    public DDSketch Sketch { get; }

    /// <summary>One observation; false (nothing counted) for NaN or ±∞.</summary>
    public bool Add(double value)
    {
        if (!Sketch.Add(value)) return false;
        Sum += value;
        return true;
    }

    /// <summary>
    /// A distribution summarised at close: count, sum, min and max exactly; the sketch gets representative points
    /// (<see cref="DistributionPoints"/>). False (nothing counted) when its count, sum, min or max is unusable.
    /// </summary>
    public bool Add(DistributionSummary distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        if (distribution.Count == 0) return true;
        if (distribution.Count < 0 || !double.IsFinite(distribution.Sum) || !double.IsFinite(distribution.Min)
            || !double.IsFinite(distribution.Max) || distribution.Min > distribution.Max)
            return false;
        foreach (var (value, weight) in DistributionPoints.Of(distribution)) Sketch.Add(value, weight);
        Sum += distribution.Sum;
        return true;
    }

    public void Merge(MetricSummary other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Sketch.Merge(other.Sketch);
        Sum += other.Sum;
    }
}
