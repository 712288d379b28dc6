using Aggregator.Contracts;

namespace Aggregator.Host.Cluster;

/// <summary>
/// Where a <see cref="ShardConsumer"/> hands a shard's deliveries: the shard's entries apply them, checkpoint, and then
/// call <see cref="ShardConsumer.AckUpToAsync"/>. Calls for one shard never overlap and come in this order:
/// <see cref="AcquiredAsync"/>, then <see cref="HandleAsync"/> per delivery in queue order, then
/// <see cref="ReleasedAsync"/>, and again from <see cref="AcquiredAsync"/> when the shard is regained.
/// RabbitMQ stops delivering once <c>Cluster:Prefetch</c> deliveries are unacked, so a shard that checkpoints less
/// often than that many deliveries arrive is throttled to its checkpoint rate.
/// </summary>
public interface IShardDeliveryHandler
{
    /// <summary>
    /// This pod now holds the shard: load its checkpoint before the first delivery (which waits for this to finish).
    /// Everything not acked by the previous holder, this pod included, is delivered again after it.
    /// </summary>
    ValueTask AcquiredAsync(int shard);

    /// <summary>
    /// One delivery's messages in publish order; empty for a poison delivery, which still needs acking once a
    /// checkpoint covers it so it never blocks the shard. <paramref name="deliveryTag"/> is what
    /// <see cref="ShardConsumer.AckUpToAsync"/> takes; it grows across re-consumes. A throw here drops the channel,
    /// so the delivery and all unacked ones come again (after <see cref="ReleasedAsync"/>, <see cref="AcquiredAsync"/>).
    /// </summary>
    /// <param name="shard">The shard the delivery came from.</param>
    /// <param name="deliveryTag">What <see cref="ShardConsumer.AckUpToAsync"/> takes for this delivery.</param>
    /// <param name="messageId">The publisher's unique id of the message (null if published without one): a checkpoint
    /// records the ids it covers so a redelivery of a covered message can be recognised and skipped.</param>
    /// <param name="messages">The delivery's messages in publish order (empty for a poison delivery).</param>
    ValueTask HandleAsync(int shard, ulong deliveryTag, string? messageId, IReadOnlyList<IEntryMessage> messages);

    /// <summary>
    /// The shard was lost (channel or connection closed, consumer cancelled, pod stopping): every delivery not yet
    /// acked goes back to the queue, possibly to another pod, so drop whatever state was built from them since the
    /// last checkpoint, or it is counted twice.
    /// </summary>
    ValueTask ReleasedAsync(int shard);
}
