using Aggregator.Contracts;

namespace Aggregator.Actors.Sharding;

/// <summary>
/// The ids of one shard out of <see cref="Count"/>: those with <c>StableHash.Of(id) % Count == Index</c>, which is how
/// cluster mode assigns entries to its shard queues. Unlike an arbitrary predicate, a slice can be tested against a
/// hash kept from earlier, so a checkpoint of one shard does not hash every remembered id again.
/// </summary>
public readonly record struct ShardSlice
{
    public ShardSlice(int count, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        (Count, Index) = (count, index);
    }

    public int Count { get; }

    public int Index { get; }

    public bool Contains(string id) => ContainsHash(StableHash.Of(id));

    /// <summary>Whether an id whose <see cref="StableHash.Of"/> is <paramref name="hash"/> is in the slice.</summary>
    public bool ContainsHash(uint hash) => hash % (uint)Count == (uint)Index;
}
