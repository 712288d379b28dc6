using System.Runtime.CompilerServices;

namespace Aggregator.Actors.Kernel.Instrumentation;

/// <summary>
/// One actor's sampled durations, stored so that a short-lived actor costs 16 bytes instead of a 328-byte
/// <see cref="Log2Histogram"/>: the first <see cref="InlineSamples"/> samples are kept as bucket numbers packed into one
/// long; the full histogram is allocated only when an actor records more (at one message in 16 sampled, after about
/// 160 messages). Single writer (the actor's own turn); any thread may read.
/// </summary>
/// <remarks>
/// Readers see a consistent state without a lock: the packed word is replaced with one store, and once the full
/// histogram is published (it starts with the packed samples) the packed word is never written again, so a reader
/// that finds no full histogram and then reads the packed word sees a past state, never a mix.
/// </remarks>
internal struct CompactHistogram
{
    /// <summary>Samples that fit beside a 4-bit count: 6 bits each (41 buckets), 10 × 6 + 4 = 64 bits.</summary>
    public const int InlineSamples = 10;
    private const int CountBits = 4;
    private const int BucketBits = 6;
    private const long CountMask = (1L << CountBits) - 1;
    private const long BucketMask = (1L << BucketBits) - 1;

    private long packed;
    private Full? full;

    public void Record(long stopwatchTicks)
    {
        var bucket = Log2Histogram.BucketOf(stopwatchTicks);
        if (full is { } histogram)
        {
            histogram.Counts.Increment(bucket);
            return;
        }
        var count = (int)(packed & CountMask);
        if (count < InlineSamples)
        {
            Volatile.Write(ref packed, (packed | ((long)bucket << (CountBits + count * BucketBits))) + 1);
            return;
        }
        var promoted = new Full();
        AddInline(packed, ref promoted.Counts);
        promoted.Counts.Increment(bucket);
        Volatile.Write(ref full, promoted);
    }

    /// <summary>True once more samples arrived than fit inline (the full histogram exists).</summary>
    public readonly bool IsPromoted => Volatile.Read(ref Unsafe.AsRef(in full)) is not null;

    public readonly HistogramSnapshot Snapshot()
    {
        var counts = new long[Log2Histogram.BucketCount];
        AddTo(counts);
        return new HistogramSnapshot(counts);
    }

    /// <summary>Adds these samples into <paramref name="counts"/>.</summary>
    public readonly void AddTo(long[] counts)
    {
        if (Volatile.Read(ref Unsafe.AsRef(in full)) is { } histogram)
        {
            histogram.Counts.AddTo(counts);
            return;
        }
        var word = Volatile.Read(ref Unsafe.AsRef(in packed));
        var count = (int)(word & CountMask);
        for (var i = 0; i < count; i++) counts[(int)((word >> (CountBits + i * BucketBits)) & BucketMask)]++;
    }

    /// <summary>Adds these samples into <paramref name="target"/> (folding a stopped actor into its type's totals; no allocation).</summary>
    public readonly void AddTo(ref Log2Histogram target)
    {
        if (Volatile.Read(ref Unsafe.AsRef(in full)) is { } histogram)
        {
            target.Add(in histogram.Counts);
            return;
        }
        AddInline(Volatile.Read(ref Unsafe.AsRef(in packed)), ref target);
    }

    private static void AddInline(long word, ref Log2Histogram target)
    {
        var count = (int)(word & CountMask);
        for (var i = 0; i < count; i++) target.Increment((int)((word >> (CountBits + i * BucketBits)) & BucketMask));
    }

    /// <summary>The promoted form: a full histogram on the heap.</summary>
    private sealed class Full
    {
        public Log2Histogram Counts;
    }
}
