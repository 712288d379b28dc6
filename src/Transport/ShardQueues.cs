using System.Globalization;
using Aggregator.Contracts;
using RabbitMQ.Client;

namespace Aggregator.Transport;

/// <summary>
/// Names the cluster's shard queues and routes an entry to one, with the same <see cref="StableHash"/> the local
/// entry region uses, so every pod (and a restarted one) agrees on where an entry lives, and so does a producer that
/// publishes to the queues itself.
/// </summary>
/// <remarks>
/// The queues are durable, non-auto-delete <b>classic</b> queues, declared with <c>x-queue-type: classic</c> so a
/// vhost whose default type is quorum cannot turn them into something else. Ownership is an <b>exclusive
/// consumer</b> (the design): RabbitMQ refuses a second exclusive consumer outright (ACCESS_REFUSED), so a pod
/// knows whether it holds a shard the moment <c>basic.consume</c> answers, and retries until the holder lets go.
/// Quorum queues would replicate each shard over several broker nodes (a classic queue lives on one node: its
/// disk lost, its shards lost) at the price of Raft writes per message, but they do not give this guarantee:
/// on RabbitMQ 3.10.8 a quorum queue accepted a second "exclusive" consumer (tried while writing this), so two pods
/// could apply one shard and count twice. Ownership there would have to be <c>x-single-active-consumer</c>, where
/// a second consumer is accepted as a silent standby instead of refused, so "do I hold the shard" becomes "have I
/// started receiving" and /readyz could no longer tell. Changing the type needs new queue names (RabbitMQ rejects a
/// redeclaration with other arguments), so like the shard count it is fixed for the life of a cluster.
/// </remarks>
public sealed class ShardQueues
{
    private static readonly Dictionary<string, object?> Arguments = new() { ["x-queue-type"] = "classic" };

    private readonly string[] _names;

    public ShardQueues(string prefix, int count)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        Prefix = prefix;
        Count = count;
        _names = new string[count];
        for (var shard = 0; shard < count; shard++) _names[shard] = prefix + "." + shard.ToString(CultureInfo.InvariantCulture);
    }

    public string Prefix { get; }

    /// <summary>How many shards the cluster has; fixed for its life, since changing it moves entries between queues.</summary>
    public int Count { get; }

    /// <summary>The queue of <paramref name="shard"/>: <c>{prefix}.{shard}</c>.</summary>
    public string Name(int shard)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shard, Count);
        return _names[shard];
    }

    /// <summary>The shard of an entry: <c>StableHash.Of(entryId) % Count</c>, as the entry region's <c>HashCodeMessageExtractor</c> computes it.</summary>
    public int ShardOf(string entryId) => (int)(StableHash.Of(entryId) % (uint)Count);

    /// <summary>Declares one shard queue; a no-op when it exists with the same settings, so every pod may call it at any time.</summary>
    public Task DeclareAsync(IChannel channel, int shard, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return channel.QueueDeclareAsync(Name(shard), durable: true, exclusive: false, autoDelete: false, Arguments,
            cancellationToken: cancellationToken);
    }

    /// <summary>Declares every shard queue, so a message published before its owner started is kept, not dropped.</summary>
    public async Task DeclareAllAsync(IChannel channel, CancellationToken cancellationToken = default)
    {
        for (var shard = 0; shard < Count; shard++) await DeclareAsync(channel, shard, cancellationToken).ConfigureAwait(false);
    }
}
