using Aggregator.Contracts;

namespace Aggregator.Actors.Sinks.Aggregates;

/// <summary>
/// Everything a sink shard knows about the entries of one aggregate key (operation, dimension set, window): how many,
/// why they closed, and a <see cref="MetricSummary"/> per numeric field, counter and distribution. Mergeable, so
/// shards fold entries independently and their partials combine on flush and on query.
/// </summary>
/// <remarks>
/// What counts: a field of kind Number (its value) or Duration (in milliseconds) as a <see cref="MetricKind.Field"/>;
/// bool, string and timestamp fields are ignored. Every counter (its value at close) as a
/// <see cref="MetricKind.Counter"/>; every distribution as a <see cref="MetricKind.Distribution"/> (see
/// <see cref="DistributionPoints"/> for what its sketch gets). A NaN or infinite value is not counted; it adds to
/// <see cref="RejectedValues"/> instead, so it is visible rather than silently lost.
/// </remarks>
public sealed class PartialAggregate
{
    private readonly Dictionary<CloseReason, long> reasons = [];
    private readonly Dictionary<MetricKey, MetricSummary> metrics = [];

    public PartialAggregate(double relativeAccuracy = DDSketch.DefaultRelativeAccuracy, int maxBuckets = DDSketch.DefaultMaxBuckets)
    {
        // Validate once here rather than at the first metric.
        _ = new DDSketch(relativeAccuracy, maxBuckets);
        RelativeAccuracy = relativeAccuracy;
        MaxBuckets = maxBuckets;
    }

    /// <summary>α of the sketches this partial creates.</summary>
    public double RelativeAccuracy { get; }

    public int MaxBuckets { get; }

    /// <summary>Entries folded in.</summary>
    public long Entries { get; private set; }

    /// <summary>Values not counted because they were NaN or infinite (or a distribution summary was unusable).</summary>
    public long RejectedValues { get; private set; }

    /// <summary>Entries per close reason (only reasons seen).</summary>
    public IReadOnlyDictionary<CloseReason, long> Reasons => reasons;

    public IReadOnlyDictionary<MetricKey, MetricSummary> Metrics => metrics;

    public long CountOf(CloseReason reason) => reasons.GetValueOrDefault(reason);

    /// <summary>Adds one closed entry.</summary>
    public void Fold(ClosedEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        Entries++;
        reasons[entry.CloseReason] = reasons.GetValueOrDefault(entry.CloseReason) + 1;
        foreach (var (name, field) in entry.Fields)
        {
            var value = field.Kind switch
            {
                FieldKind.Number => field.Number,
                FieldKind.Duration => field.Duration.TotalMilliseconds,
                _ => (double?)null,
            };
            if (value is { } number) Count(Summary(new MetricKey(MetricKind.Field, name)).Add(number));
        }
        foreach (var (name, value) in entry.Counters)
            Count(Summary(new MetricKey(MetricKind.Counter, name)).Add(value));
        foreach (var (name, distribution) in entry.Distributions)
            Count(Summary(new MetricKey(MetricKind.Distribution, name)).Add(distribution));
    }

    /// <summary>Adds everything <paramref name="other"/> counted; afterwards this is the partial of both.</summary>
    /// <exception cref="ArgumentException">A metric's sketches have different relative accuracies; nothing was merged.</exception>
    public void Merge(PartialAggregate other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (key, summary) in other.metrics)
            if (metrics.TryGetValue(key, out var mine) && mine.Sketch.RelativeAccuracy != summary.Sketch.RelativeAccuracy)
                throw new ArgumentException($"Cannot merge metric {key}: relative accuracy {summary.Sketch.RelativeAccuracy} into {mine.Sketch.RelativeAccuracy}.", nameof(other));
        Entries += other.Entries;
        RejectedValues += other.RejectedValues;
        foreach (var (reason, count) in other.reasons) reasons[reason] = reasons.GetValueOrDefault(reason) + count;
        foreach (var (key, summary) in other.metrics) Summary(key, summary.Sketch.RelativeAccuracy).Merge(summary);
    }

    /// <summary>Puts back what the codec read.</summary>
    internal void Restore(long entries, long rejected, IEnumerable<KeyValuePair<CloseReason, long>> restoredReasons, IEnumerable<KeyValuePair<MetricKey, MetricSummary>> restoredMetrics)
    {
        Entries = entries;
        RejectedValues = rejected;
        foreach (var (reason, count) in restoredReasons) reasons[reason] = count;
        foreach (var (key, summary) in restoredMetrics) metrics[key] = summary;
    }

    private void Count(bool accepted)
    {
        if (!accepted) RejectedValues++;
    }

    private MetricSummary Summary(MetricKey key, double? relativeAccuracy = null)
    {
        if (!metrics.TryGetValue(key, out var summary))
        {
            summary = new MetricSummary(relativeAccuracy ?? RelativeAccuracy, MaxBuckets);
            metrics.Add(key, summary);
        }
        return summary;
    }
}
