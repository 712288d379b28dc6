using Aggregator.Contracts;

namespace Aggregator.Actors.Entries;

/// <summary>
/// One per-entry distribution while the entry is open: count, sum, min and max exactly, and the observations
/// themselves up to a cap (then a uniform reservoir sample), so quantiles are exact for ordinary entries and
/// memory stays bounded for a runaway one.
/// </summary>
internal sealed class Distribution(FieldUnit unit, int maxRetained)
{
    private double[] values = new double[4];
    private int retained;
    private ulong sampler = 0x9E3779B97F4A7C15;

    public long Count { get; private set; }
    public double Sum { get; private set; }
    public double Min { get; private set; } = double.PositiveInfinity;
    public double Max { get; private set; } = double.NegativeInfinity;
    public FieldUnit Unit { get; private set; } = unit;

    public void Observe(double value)
    {
        Count++;
        Sum += value;
        if (value < Min) Min = value;
        if (value > Max) Max = value;
        if (retained < maxRetained)
        {
            if (retained == values.Length) Array.Resize(ref values, Math.Min(values.Length * 2, maxRetained));
            values[retained++] = value;
            return;
        }
        // Reservoir sampling (Vitter's algorithm R): each observation so far stays with equal probability.
        var slot = (long)(NextRandom() % (ulong)Count);
        if (slot < maxRetained) values[slot] = value;
    }

    /// <summary>Folds a slot's distribution of the same name into this one.</summary>
    public void Merge(Distribution other)
    {
        if (Unit == FieldUnit.None) Unit = other.Unit;
        for (var i = 0; i < other.retained; i++) Observe(other.values[i]);
        // Observations the other side only sampled still count in count and sum.
        var unsampled = other.Count - other.retained;
        if (unsampled > 0)
        {
            Count += unsampled;
            Sum += other.Sum - other.values.AsSpan(0, other.retained).ToArray().Sum();
            Min = Math.Min(Min, other.Min);
            Max = Math.Max(Max, other.Max);
        }
    }

    /// <summary>The whole state, retained observations and sampler included, so a restored copy behaves identically.</summary>
    public DistributionSnapshot Capture() => new(Unit, Count, Sum, Min, Max, sampler, values.AsSpan(0, retained).ToArray());

    /// <summary>Rebuilds a distribution from <see cref="Capture"/>: the same summary now, and the same choices for later observations.</summary>
    public static Distribution Restore(DistributionSnapshot snapshot, int maxRetained)
    {
        var restored = new Distribution(snapshot.Unit, maxRetained)
        {
            Count = snapshot.Count,
            Sum = snapshot.Sum,
            Min = snapshot.Min,
            Max = snapshot.Max,
            sampler = snapshot.Sampler,
            retained = snapshot.Retained.Count,
            values = new double[Math.Max(4, snapshot.Retained.Count)],
        };
        for (var i = 0; i < restored.retained; i++) restored.values[i] = snapshot.Retained[i];
        return restored;
    }

    public DistributionSummary Summarise(IReadOnlyList<double> quantiles)
    {
        var sorted = values.AsSpan(0, retained).ToArray();
        Array.Sort(sorted);
        var result = new QuantileValue[quantiles.Count];
        for (var i = 0; i < result.Length; i++) result[i] = new QuantileValue(quantiles[i], NearestRank(sorted, quantiles[i]));
        return new DistributionSummary(Count, Sum, Count == 0 ? 0 : Min, Count == 0 ? 0 : Max, Unit, result);
    }

    private static double NearestRank(double[] sorted, double quantile)
    {
        if (sorted.Length == 0) return 0;
        var rank = (int)Math.Ceiling(quantile * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    private ulong NextRandom()
    {
        // xorshift64*: deterministic per distribution, so the same input yields the same summary.
        sampler ^= sampler >> 12;
        sampler ^= sampler << 25;
        sampler ^= sampler >> 27;
        return sampler * 0x2545F4914F6CDD1D;
    }
}
