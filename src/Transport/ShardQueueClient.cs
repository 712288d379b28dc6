using Aggregator.Contracts.Client;

namespace Aggregator.Transport;

/// <summary>
/// Creates a producer client that publishes straight to a cluster's shard queues (<see cref="ShardQueueTransport"/>)
/// instead of posting to a pod: the same handles, buffering, batching, retries and statistics as over HTTP.
/// </summary>
public static class ShardQueueClient
{
    /// <summary>
    /// A client with one sender per shard of <paramref name="queues"/>; <paramref name="options"/> give its buffer,
    /// batching, retries, flush timeout and callbacks (its HTTP settings and <c>Senders</c> are not used).
    /// </summary>
    public static AggregatorClient Create(AggregatorClientOptions options, ShardQueueOptions queues)
    {
        ArgumentNullException.ThrowIfNull(options);
        var transport = new ShardQueueTransport(queues);
        try
        {
            return new AggregatorClient(options, transport);
        }
        catch
        {
            // Nothing is connected before the first batch; disposing only releases the publisher.
            transport.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }
}
