using Aggregator.Actors.Sharding;
using Aggregator.Contracts;

namespace Aggregator.Actors.Entries;

/// <summary>Every entry-protocol record names its entry; shard = stable hash of that id modulo the shard count.</summary>
public sealed class EntryMessageExtractor(int shardCount) : HashCodeMessageExtractor(shardCount)
{
    public override string? EntityId(object message) => message switch
    {
        IEntryMessage entryMessage => entryMessage.EntryId,
        OpenLocal local => local.Open.EntryId,
        _ => null,
    };
}
