using Aggregator.Actors.Sharding;
using Aggregator.Contracts;

namespace Aggregator.Actors.Sinks;

/// <summary>
/// Closed entries go to sink shard = stable hash of the entry id modulo the shard count: by id, not by operation, so a
/// hot operation spreads over every shard, and a redelivered entry always meets the shard that journaled it.
/// </summary>
public sealed class SinkMessageExtractor(int shardCount) : HashCodeMessageExtractor(shardCount)
{
    public override string? EntityId(object message) => (message as ClosedEntry)?.Id;
}
