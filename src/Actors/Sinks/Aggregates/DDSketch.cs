using System.Runtime.CompilerServices;

namespace Aggregator.Actors.Sinks.Aggregates;

/// <summary>
/// A quantile sketch with relative accuracy (DDSketch, Masson, Rim and Lee, VLDB 2019): every quantile it reports is
/// within α (default 1 %) of the exact one, whatever the distribution, and two sketches merge bucket by bucket into
/// exactly the sketch of the combined data. That is what lets sink shards keep partial aggregates and merge them on
/// flush and on query.
/// </summary>
/// <remarks>
/// <para>
/// Values are counted in logarithmic buckets (<see cref="SketchMapping"/> explains the mapping and how it keeps α
/// without a logarithm per insert): positive values in one store, negative values by magnitude in another, zeros in a
/// count of their own. Count, sum, min and max are kept exactly.
/// </para>
/// <para>
/// Rank definition: <see cref="Quantile"/>(q) estimates the element at zero-based rank ⌊q·(n−1)⌋ of the sorted values
/// (q = 0 the minimum, q = 1 the maximum). The first and last ranks answer the exact min and max; any other rank gets
/// the value of the bucket holding that element, clamped into [<see cref="Min"/>, <see cref="Max"/>], so it is within
/// α of the exact element unless that bucket was collapsed (see <see cref="DefaultMaxBuckets"/>) or the value is below
/// ~5e-322, where doubles themselves are coarser than α.
/// </para>
/// <para>
/// NaN and ±∞ are rejected: <see cref="Add(double)"/> returns false and changes nothing, so a caller counts rejects
/// without paying for an exception on a hot path. Not thread-safe: one writer (a sink shard's own turn).
/// </para>
/// </remarks>
public sealed class DDSketch
{
    /// <summary>1 %: the accuracy, about 35 buckets per doubling of the value.</summary>
    public const double DefaultRelativeAccuracy = 0.01;

    /// <summary>
    /// 2,048 buckets per sign (at most 16 KB each): at 1 % that spans a ratio of about 4e17 between the smallest and
    /// largest magnitude of one sign (for example 1 ns to 3 years), beyond which the lowest buckets are collapsed and
    /// lose their accuracy, never the highest ones that the tail quantiles read.
    /// </summary>
    public const int DefaultMaxBuckets = 2048;

    /// <summary>The most buckets per sign a sketch may have (8 MB of counts), so a stored sketch always decodes within bounds.</summary>
    public const int MaxBucketLimit = 1 << 20;

    private readonly SketchMapping mapping;
    private readonly BucketStore positive;
    private readonly BucketStore negative;
    private long zeroCount;
    private long count;
    private double sum;
    private double min = double.PositiveInfinity;
    private double max = double.NegativeInfinity;

    /// <param name="relativeAccuracy">α in [1e-6, 0.5].</param>
    /// <param name="maxBuckets">Buckets per sign before the lowest collapse, in [16, <see cref="MaxBucketLimit"/>].</param>
    public DDSketch(double relativeAccuracy = DefaultRelativeAccuracy, int maxBuckets = DefaultMaxBuckets)
    {
        if (!(relativeAccuracy >= 1e-6 && relativeAccuracy <= 0.5))
            throw new ArgumentOutOfRangeException(nameof(relativeAccuracy), relativeAccuracy, "DDSketch relative accuracy must be in [1e-6, 0.5].");
        if (maxBuckets is < 16 or > MaxBucketLimit)
            throw new ArgumentOutOfRangeException(nameof(maxBuckets), maxBuckets, $"DDSketch buckets per sign must be in [16, {MaxBucketLimit}].");
        mapping = MappingFor(relativeAccuracy);
        MaxBuckets = maxBuckets;
        positive = new BucketStore(maxBuckets);
        negative = new BucketStore(maxBuckets);
    }

    public double RelativeAccuracy => mapping.RelativeAccuracy;

    public int MaxBuckets { get; }

    /// <summary>Number of values added (with their weights).</summary>
    public long Count => count;

    /// <summary>Sum of the values added (weighted), in the order they came.</summary>
    public double Sum => sum;

    /// <summary>Smallest value added; +∞ while empty.</summary>
    public double Min => min;

    /// <summary>Largest value added; −∞ while empty.</summary>
    public double Max => max;

    public bool IsEmpty => count == 0;

    internal SketchMapping Mapping => mapping;

    internal BucketStore Positive => positive;

    internal BucketStore Negative => negative;

    internal long ZeroCount => zeroCount;

    /// <summary>Counts one value; false (and nothing counted) for NaN or ±∞. Allocation-free once the buckets span the data.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Add(double value)
    {
        if (!double.IsFinite(value)) return false;
        count++;
        sum += value;
        if (value < min) min = value;
        if (value > max) max = value;
        if (value > 0) positive.Add(mapping.IndexOf(value), 1);
        else if (value < 0) negative.Add(mapping.IndexOf(-value), 1);
        else zeroCount++;
        return true;
    }

    /// <summary>Counts <paramref name="value"/> <paramref name="weight"/> times; false (nothing counted) for NaN or ±∞.</summary>
    public bool Add(double value, long weight)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(weight);
        if (!double.IsFinite(value)) return false;
        if (weight == 0) return true;
        count += weight;
        sum += value * weight;
        if (value < min) min = value;
        if (value > max) max = value;
        if (value > 0) positive.Add(mapping.IndexOf(value), weight);
        else if (value < 0) negative.Add(mapping.IndexOf(-value), weight);
        else zeroCount += weight;
        return true;
    }

    /// <summary>Adds every bucket of <paramref name="other"/>; afterwards this is the sketch of both data sets.</summary>
    /// <exception cref="ArgumentException">The sketches have different relative accuracies (their buckets do not line up).</exception>
    public void Merge(DDSketch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.RelativeAccuracy != RelativeAccuracy)
            throw new ArgumentException($"Cannot merge a DDSketch with relative accuracy {other.RelativeAccuracy} into one with {RelativeAccuracy}: their buckets differ.", nameof(other));
        if (other.IsEmpty) return;
        positive.Merge(other.positive);
        negative.Merge(other.negative);
        zeroCount += other.zeroCount;
        count += other.count;
        sum += other.sum;
        if (other.min < min) min = other.min;
        if (other.max > max) max = other.max;
    }

    /// <summary>
    /// The estimated value at quantile <paramref name="q"/> in [0, 1] (rank ⌊q·(n−1)⌋, see the remarks); NaN while
    /// empty.
    /// </summary>
    public double Quantile(double q)
    {
        if (!(q >= 0 && q <= 1)) throw new ArgumentOutOfRangeException(nameof(q), q, "A quantile must be in [0, 1].");
        if (count == 0) return double.NaN;
        var rank = (long)Math.Floor(q * (count - 1));
        // The first and last ranks are the exact min and max, which the sketch keeps.
        if (rank == 0) return min;
        if (rank == count - 1) return max;
        return Math.Clamp(ValueAtRank(rank), min, max);
    }

    /// <summary>The value of the bucket holding the element of zero-based rank <paramref name="rank"/>.</summary>
    private double ValueAtRank(long rank)
    {
        long seen = 0;
        if (!negative.IsEmpty)
        {
            // Most negative first: the negative store's highest magnitude is the smallest value.
            var (low, high) = negative.Range();
            for (var index = high; index >= low; index--)
            {
                seen += negative.CountAt(index);
                if (seen > rank) return -mapping.ValueOf(index);
            }
        }
        seen += zeroCount;
        if (seen > rank) return 0;
        if (!positive.IsEmpty)
        {
            var (low, high) = positive.Range();
            for (var index = low; index <= high; index++)
            {
                seen += positive.CountAt(index);
                if (seen > rank) return mapping.ValueOf(index);
            }
        }
        return max;
    }

    /// <summary>Puts back what the codec read: counts already in the stores, and the exact statistics.</summary>
    internal void Restore(long zeros, double restoredSum, double restoredMin, double restoredMax)
    {
        zeroCount = zeros;
        count = zeros + positive.Total + negative.Total;
        sum = restoredSum;
        min = count == 0 ? double.PositiveInfinity : restoredMin;
        max = count == 0 ? double.NegativeInfinity : restoredMax;
    }

    // Mappings are immutable and only depend on α: share the default one instead of one per sketch.
    private static readonly SketchMapping DefaultMapping = new(DefaultRelativeAccuracy);

    private static SketchMapping MappingFor(double relativeAccuracy) =>
        relativeAccuracy == DefaultRelativeAccuracy ? DefaultMapping : new SketchMapping(relativeAccuracy);
}
