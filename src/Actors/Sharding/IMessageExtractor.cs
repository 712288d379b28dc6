using Aggregator.Contracts;

namespace Aggregator.Actors.Sharding;

/// <summary>
/// Tells a <see cref="ShardRegion"/> which entity a message is for and which shard owns that entity (Akka's
/// <c>IMessageExtractor</c>). Shard ids are numbers here, so routing is an array index, not a lookup.
/// </summary>
public interface IMessageExtractor
{
    /// <summary>The entity the message is for, or null when it is not an entity message (it then becomes a dead letter).</summary>
    string? EntityId(object message);

    /// <summary>What the entity receives; usually the message itself.</summary>
    object EntityMessage(object message);

    /// <summary>The shard that owns the entity, in [0, shard count).</summary>
    int ShardId(string entityId);
}

/// <summary>Shard id = a stable hash of the entity id modulo the shard count, the same in every process and pod.</summary>
public abstract class HashCodeMessageExtractor(int shardCount) : IMessageExtractor
{
    public int ShardCount { get; } = shardCount > 0 ? shardCount : throw new ArgumentOutOfRangeException(nameof(shardCount), shardCount, "A region needs at least one shard.");

    public abstract string? EntityId(object message);

    public virtual object EntityMessage(object message) => message;

    public int ShardId(string entityId) => (int)(StableHash.Of(entityId) % (uint)ShardCount);
}
