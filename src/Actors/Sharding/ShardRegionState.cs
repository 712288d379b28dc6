namespace Aggregator.Actors.Sharding;

/// <summary>Asks a region for its shards and their live entities (Akka's <c>GetShardRegionState</c>).</summary>
public sealed class GetShardRegionState
{
    public static readonly GetShardRegionState Instance = new();
    private GetShardRegionState() { }
}

/// <summary>Asks one shard actor for its <see cref="ShardState"/>; every shard actor a region hosts answers it.</summary>
public sealed class GetShardState
{
    public static readonly GetShardState Instance = new();
    private GetShardState() { }
}

/// <summary>One shard: how many entities are alive and how many recently ended ids it still remembers.</summary>
public sealed record ShardState(int ShardId, int EntityCount, int TombstoneCount);

/// <summary>The region's answer: every shard, in shard id order. Shard balance is visible at a glance.</summary>
public sealed record ShardRegionState(string TypeName, IReadOnlyList<ShardState> Shards)
{
    public int EntityCount => Shards.Sum(s => s.EntityCount);
}
