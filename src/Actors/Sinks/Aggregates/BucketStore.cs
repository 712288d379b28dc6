using System.Runtime.CompilerServices;

namespace Aggregator.Actors.Sinks.Aggregates;

/// <summary>
/// The counts of one sign's buckets in a contiguous array that grows as values arrive, so an insert is one bounds
/// check and one increment; beyond <c>maxBuckets</c> the lowest buckets collapse into one, so memory stays bounded.
/// </summary>
/// <remarks>
/// Collapsing keeps the span [highest − maxBuckets + 1, highest]: everything below the floor is counted in the floor
/// bucket, and the floor only ever rises. The result depends only on the multiset of indices added, not on their
/// order, so merging stays exact and commutative even after a collapse. Collapsed values lose the α guarantee (they
/// report the floor bucket's value); for the positive store those are the smallest magnitudes, for the negative store
/// the ones closest to zero. With α = 1 % and 2,048 buckets a store covers a ratio of about 4e17 (58 doublings) between
/// its smallest and largest value before anything collapses.
/// </remarks>
internal sealed class BucketStore
{
    private const int InitialLength = 64;

    private readonly int maxBuckets;
    private long[] counts = [];
    private int offset;
    private long total;

    public BucketStore(int maxBuckets) => this.maxBuckets = maxBuckets;

    /// <summary>Sum of every bucket's count.</summary>
    public long Total => total;

    public bool IsEmpty => total == 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int index, long count)
    {
        var slot = index - offset;
        var buckets = counts;
        if ((uint)slot < (uint)buckets.Length)
        {
            buckets[slot] += count;
            total += count;
        }
        else
        {
            AddOutside(index, count);
        }
    }

    /// <summary>Lowest and highest non-empty index; only meaningful when not <see cref="IsEmpty"/>.</summary>
    public (int Lowest, int Highest) Range()
    {
        var low = 0;
        while (counts[low] == 0) low++;
        var high = counts.Length - 1;
        while (counts[high] == 0) high--;
        return (low + offset, high + offset);
    }

    /// <summary>The count of bucket <paramref name="index"/> (0 outside the array).</summary>
    public long CountAt(int index)
    {
        var slot = index - offset;
        return (uint)slot < (uint)counts.Length ? counts[slot] : 0;
    }

    /// <summary>Adds every bucket of <paramref name="other"/>, collapsing as needed.</summary>
    public void Merge(BucketStore other)
    {
        if (other.IsEmpty) return;
        var (low, high) = other.Range();
        // Visit the highest bucket first so a collapse, if any, happens once rather than creeping up bucket by bucket.
        for (var index = high; index >= low; index--)
        {
            var count = other.CountAt(index);
            if (count != 0) Add(index, count);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddOutside(int index, long count)
    {
        var (low, high) = total == 0 ? (index, index) : Range();
        low = Math.Min(low, index);
        high = Math.Max(high, index);
        // Collapse: the span may not exceed maxBuckets, so everything below the floor is counted in the floor.
        low = Math.Max(low, high - maxBuckets + 1);
        Relayout(low, high);
        counts[Math.Max(index, low) - offset] += count;
        total += count;
    }

    /// <summary>
    /// Moves the counts into an array covering at least [low, high] with headroom on both sides, folding anything below
    /// low into low. The array never exceeds maxBuckets slots, so an index that lands inside it can never stretch the
    /// span beyond maxBuckets; after a collapse the span is full, the array starts exactly at the floor, and anything
    /// lower takes the slow path and is clamped.
    /// </summary>
    private void Relayout(int low, int high)
    {
        var needed = high - low + 1;
        var length = (int)Math.Min(maxBuckets, Math.Max(InitialLength, 2L * needed));
        var newOffset = low - (length - needed) / 2;
        var fresh = new long[length];
        for (var slot = 0; slot < counts.Length; slot++)
        {
            var count = counts[slot];
            if (count != 0) fresh[Math.Max(slot + offset, low) - newOffset] += count;
        }
        counts = fresh;
        offset = newOffset;
    }

    /// <summary>Replaces the contents with decoded counts starting at <paramref name="lowest"/> (codec only).</summary>
    internal void Restore(int lowest, ReadOnlySpan<long> decoded)
    {
        counts = [];
        offset = 0;
        total = 0;
        for (var i = decoded.Length - 1; i >= 0; i--)
            if (decoded[i] != 0) Add(lowest + i, decoded[i]);
    }
}
