using Aggregator.Contracts.Client;

namespace Aggregator.Transport;

/// <summary>
/// Lets an <see cref="AggregatorClient"/> publish straight to a cluster's shard queues instead of posting to a pod: one
/// partition per shard, an entry's partition is its shard (<see cref="ShardQueues.ShardOf"/>, the very routing the
/// pods use), and one batch is one persistent, confirmed RabbitMQ message with a unique message id, published by the
/// <see cref="ShardPublisher"/> the Host's <c>POST /v1/messages</c> uses. The client keeps one batch in flight per
/// partition, so an entry's messages reach its queue in order.
/// </summary>
/// <remarks>
/// An unreachable broker or a publish not confirmed within <see cref="ShardQueueOptions.PublishTimeout"/> is answered
/// <see cref="BatchResult.Transient"/>: the client retries it with its retry settings, then counts the batch failed
/// and reports it to <see cref="AggregatorClientOptions.OnBatchFailed"/>. A lost confirm may hide a message the broker
/// did take, so a retry after one is at least once. Nothing is validated here (no pod reads the body before it is
/// queued): a message the consuming pod cannot apply is refused and counted there, not in the client's statistics.
/// </remarks>
public sealed class ShardQueueTransport : IBatchTransport
{
    private readonly ShardPublisher publisher;

    public ShardQueueTransport(ShardQueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Queues = new ShardQueues(options.QueuePrefix, options.Shards);
        publisher = new ShardPublisher(Queues, options.RabbitMqUri, options.PublishTimeout, options.ClientName ?? $"{Environment.MachineName} producer");
    }

    /// <summary>The queues published to, named and routed as the cluster's pods do.</summary>
    public ShardQueues Queues { get; }

    public int Partitions => Queues.Count;

    public int PartitionOf(string entryId) => Queues.ShardOf(entryId);

    public async Task<BatchOutcome> SendAsync(int partition, ReadOnlyMemory<byte> ndjson, int messages, CancellationToken stopping)
    {
        try
        {
            await publisher.PublishAsync(partition, ndjson, stopping).ConfigureAwait(false);
            return BatchOutcome.AllAccepted(messages);
        }
        catch (ShardPublishException exception)
        {
            return BatchOutcome.TryAgain(new BatchFailure(messages, null, $"shard queue {Queues.Name(partition)}: {exception.Message}", exception));
        }
    }

    public ValueTask DisposeAsync() => publisher.DisposeAsync();
}
