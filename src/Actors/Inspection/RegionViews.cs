using Aggregator.Actors.Sharding;
using Aggregator.Actors.Sinks;

namespace Aggregator.Actors.Inspection;

/// <summary>Turns what a region reports about its shards into <see cref="RegionView"/>s.</summary>
public static class RegionViews
{
    /// <summary>An entity region (entries): live entities and tombstones per shard, as the shards answered.</summary>
    public static RegionView FromState(ShardRegionState state) => new(
        state.TypeName,
        state.EntityCount,
        state.Shards.Select(s => new ShardView(s.ShardId, s.EntityCount, Tombstones: s.TombstoneCount)).ToList());

    /// <summary>The sink region: each shard's held entries (its journal lag), drops and store circuit.</summary>
    public static RegionView FromSinks(string typeName, IReadOnlyList<SinkShardSnapshot> shards) => new(
        typeName,
        shards.Sum(s => s.Buffered),
        shards.OrderBy(s => s.Shard)
            .Select(s => new ShardView(s.Shard, s.Buffered, JournalLag: s.JournalLag, Dropped: s.Dropped, Breaker: s.BreakerState))
            .ToList());
}
