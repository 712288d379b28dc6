using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Aggregator.Actors.Kernel.Instrumentation;

/// <summary>
/// Durations in power-of-two nanosecond buckets: one shift and one increment to record, so it can sit on the
/// message hot path. Single writer (the actor's own turn); readers copy it with <see cref="Snapshot"/>.
/// </summary>
internal struct Log2Histogram
{
    /// <summary>Bucket i holds durations in [2^i, 2^(i+1)) ns; the last bucket also holds everything longer (≥ ~18 min).</summary>
    public const int BucketCount = 41;

    private static readonly double NanosPerTick = 1_000_000_000.0 / Stopwatch.Frequency;
    private static readonly bool TicksAreNanos = Stopwatch.Frequency == 1_000_000_000;

    private Buckets buckets;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Record(long stopwatchTicks) => buckets[BucketOf(stopwatchTicks)]++;

    /// <summary>The bucket a duration in Stopwatch ticks falls into.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int BucketOf(long stopwatchTicks)
    {
        if (stopwatchTicks < 0) stopwatchTicks = 0;
        var nanos = TicksAreNanos ? (ulong)stopwatchTicks : (ulong)(stopwatchTicks * NanosPerTick);
        var index = BitOperations.Log2(nanos | 1);
        return index >= BucketCount ? BucketCount - 1 : index;
    }

    /// <summary>Counts one duration already mapped to its bucket.</summary>
    public void Increment(int bucket) => buckets[bucket]++;

    /// <summary>Copies the counts into <paramref name="counts"/> (volatile reads: the writer may be recording).</summary>
    public readonly void CopyTo(long[] counts)
    {
        for (var i = 0; i < BucketCount; i++) counts[i] = Volatile.Read(ref Unsafe.AsRef(in buckets[i]));
    }

    public readonly HistogramSnapshot Snapshot()
    {
        var copy = new long[BucketCount];
        CopyTo(copy);
        return new HistogramSnapshot(copy);
    }

    /// <summary>Adds another histogram's counts (a stopped actor's history folded into its type's totals, without a copy).</summary>
    public void Add(in Log2Histogram other)
    {
        for (var i = 0; i < BucketCount; i++) buckets[i] += Volatile.Read(ref Unsafe.AsRef(in other.buckets[i]));
    }

    /// <summary>Adds these counts into <paramref name="counts"/> (summing several histograms into one snapshot).</summary>
    public readonly void AddTo(long[] counts)
    {
        for (var i = 0; i < BucketCount; i++) counts[i] += Volatile.Read(ref Unsafe.AsRef(in buckets[i]));
    }

    [InlineArray(BucketCount)]
    private struct Buckets
    {
        private long element;
    }
}

/// <summary>A copy of a <see cref="Log2Histogram"/>: counts per power-of-two bucket, with approximate quantiles.</summary>
public sealed class HistogramSnapshot(long[] counts)
{
    public static HistogramSnapshot Empty { get; } = new(new long[Log2Histogram.BucketCount]);

    /// <summary>Count per bucket; bucket i covers [2^i, 2^(i+1)) nanoseconds.</summary>
    public IReadOnlyList<long> Counts { get; } = counts;

    public long Total => Counts.Sum();

    /// <summary>Upper bound of bucket <paramref name="index"/>.</summary>
    public static TimeSpan UpperBound(int index) => TimeSpan.FromTicks((long)(Math.Pow(2, index + 1) / 100));

    /// <summary>The upper bound of the bucket holding quantile <paramref name="q"/> (so at most 2× the true value); zero when empty.</summary>
    public TimeSpan Quantile(double q)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(q, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(q, 1);
        var total = Total;
        if (total == 0) return TimeSpan.Zero;
        var rank = Math.Max(1, (long)Math.Ceiling(q * total));
        long seen = 0;
        for (var i = 0; i < Counts.Count; i++)
        {
            seen += Counts[i];
            if (seen >= rank) return UpperBound(i);
        }
        return UpperBound(Counts.Count - 1);
    }

    public HistogramSnapshot Plus(HistogramSnapshot other)
    {
        var sum = new long[Log2Histogram.BucketCount];
        for (var i = 0; i < sum.Length; i++) sum[i] = Counts[i] + other.Counts[i];
        return new HistogramSnapshot(sum);
    }

    public HistogramSnapshot Minus(HistogramSnapshot earlier)
    {
        var difference = new long[Log2Histogram.BucketCount];
        for (var i = 0; i < difference.Length; i++) difference[i] = Math.Max(0, Counts[i] - earlier.Counts[i]);
        return new HistogramSnapshot(difference);
    }
}
