namespace Aggregator.Transport;

/// <summary>
/// Where a producer publishes straight to a cluster's shard queues (<see cref="ShardQueueTransport"/>). The prefix and
/// shard count must be the cluster's own <c>Aggregator:Cluster:QueuePrefix</c> and <c>Aggregator:Cluster:Shards</c>
/// (the defaults are the service's): they name the queues and decide which one an entry goes to.
/// </summary>
public sealed record ShardQueueOptions
{
    /// <summary>The cluster's RabbitMQ, credentials included, e.g. <c>amqp://user:password@rabbitmq:5672/</c>.</summary>
    public required Uri RabbitMqUri { get; init; }

    /// <summary>The cluster's <c>Aggregator:Cluster:QueuePrefix</c>; the queues are <c>{prefix}.{shard}</c>.</summary>
    public string QueuePrefix { get; init; } = "aggregator.shard";

    /// <summary>The cluster's <c>Aggregator:Cluster:Shards</c>; also the client's number of sender loops.</summary>
    public int Shards { get; init; } = 32;

    /// <summary>Bounds one publish attempt, connecting included; an attempt not confirmed by then is retried.</summary>
    public TimeSpan PublishTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Shown in the broker's connection list; the machine name and "producer" by default.</summary>
    public string? ClientName { get; init; }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(RabbitMqUri);
        if (!RabbitMqUri.IsAbsoluteUri || RabbitMqUri.Scheme is not ("amqp" or "amqps"))
            throw new ArgumentException("RabbitMqUri must be an amqp:// or amqps:// URI.", nameof(RabbitMqUri));
        ArgumentException.ThrowIfNullOrWhiteSpace(QueuePrefix, nameof(QueuePrefix));
        ArgumentOutOfRangeException.ThrowIfLessThan(Shards, 1, nameof(Shards));
        if (PublishTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(PublishTimeout), PublishTimeout, "PublishTimeout must be positive.");
    }
}
