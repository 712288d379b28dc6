using System.Globalization;
using Aggregator.Actors.Sharding;
using Aggregator.Host.Configuration;
using RabbitMQ.Client;

namespace Aggregator.Host.Cluster;

/// <summary>
/// Names the cluster's shard queues and routes an entry to one, with the same <see cref="StableHash"/> the local
/// entry region uses, so every pod (and a restarted one) agrees on where an entry lives.
/// </summary>
/// <remarks>
/// The queues are durable, non-auto-delete <b>classic</b> queues. Ownership is an <b>exclusive consumer</b> (the
/// issue's design): RabbitMQ refuses a second exclusive consumer outright, so a pod knows whether it holds a shard
/// the moment <c>basic.consume</c> answers, and retries until the holder lets go. A quorum queue would replicate
/// each shard over several broker nodes (a classic queue lives on one node, so a lost broker disk loses its
/// shards), at the price of Raft writes per message; ownership there would be expressed with
/// <c>x-single-active-consumer</c>, where a second consumer is accepted as a silent standby instead of refused,
/// so "do I hold the shard" would become "have I started receiving", and the refusal/backoff loop would go away.
/// Changing the type of an existing queue needs new queue names (RabbitMQ rejects a redeclaration with other
/// arguments), so it is a cluster-lifetime choice like the shard count.
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

    /// <summary>The queues of <see cref="ClusterOptions.QueuePrefix"/> and <see cref="ClusterOptions.Shards"/>.</summary>
    public static ShardQueues From(ClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ShardQueues(options.QueuePrefix, options.Shards);
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

    /// <summary>The shard of an entry: <c>StableHash.Of(entryId) % Count</c>, as <see cref="HashCodeMessageExtractor"/> computes it.</summary>
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
