using Aggregator.Host.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aggregator.Host.Cluster;

/// <summary>
/// The shards pod <c>ordinal</c> of <c>nodes</c> owns (<c>s % nodes == ordinal</c>, so every pod computes the same
/// split without talking to the others) and one exclusive <see cref="ShardConsumer"/> per owned shard on one shared
/// connection. During a scale or a rolling restart a shard may still be held by its previous owner; its consumer
/// waits, and <see cref="HoldsAllShards"/> (for /readyz) stays false until it gets the queue.
/// </summary>
public sealed class ShardOwnership : IAsyncDisposable
{
    private readonly ShardConnection _connection;
    private readonly ShardConsumer[] _consumers;

    public ShardOwnership(ClusterOptions options, int ordinal, IShardDeliveryHandler handler,
        ILoggerFactory? loggerFactory = null, ShardBackoff? backoff = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        if (string.IsNullOrWhiteSpace(options.RabbitMqUri)) throw new ArgumentException("Cluster:RabbitMqUri is required.", nameof(options));
        loggerFactory ??= NullLoggerFactory.Instance;
        Queues = new ShardQueues(options.QueuePrefix, options.Shards);
        Shards = ShardsOf(ordinal, options.Nodes, options.Shards);
        _connection = new ShardConnection(new Uri(options.RabbitMqUri), $"{Environment.MachineName} shards", timeout ?? TimeSpan.FromSeconds(10));
        var prefetch = checked((ushort)options.Prefetch);
        var logger = loggerFactory.CreateLogger<ShardConsumer>();
        _consumers = [.. Shards.Select(shard => new ShardConsumer(_connection, Queues, shard, handler, prefetch, backoff, logger))];
    }

    /// <summary>The shards <paramref name="ordinal"/> owns out of <paramref name="shards"/> when <paramref name="nodes"/> pods share them.</summary>
    public static IReadOnlyList<int> ShardsOf(int ordinal, int nodes, int shards)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nodes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shards);
        ArgumentOutOfRangeException.ThrowIfNegative(ordinal);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(ordinal, nodes);
        var owned = new List<int>();
        for (var shard = ordinal; shard < shards; shard += nodes) owned.Add(shard);
        return owned;
    }

    public ShardQueues Queues { get; }

    /// <summary>The shards this pod owns, ascending.</summary>
    public IReadOnlyList<int> Shards { get; }

    /// <summary>One consumer per owned shard, in <see cref="Shards"/> order.</summary>
    public IReadOnlyList<ShardConsumer> Consumers => _consumers;

    /// <summary>True when every owned shard's exclusive consumer is registered: the pod is ready.</summary>
    public bool HoldsAllShards => _consumers.All(consumer => consumer.State == ShardConsumerState.Holding);

    /// <summary>The consumer of an owned <paramref name="shard"/>, for acking after its checkpoint.</summary>
    public ShardConsumer Consumer(int shard) =>
        _consumers.FirstOrDefault(consumer => consumer.Shard == shard)
        ?? throw new ArgumentOutOfRangeException(nameof(shard), shard, $"This pod does not own shard {shard}.");

    /// <summary>Starts every consumer; each keeps trying until it holds its shard.</summary>
    public void Start()
    {
        foreach (var consumer in _consumers) consumer.Start();
    }

    /// <summary>Completes once every owned shard has been held (each observed, not polled).</summary>
    public Task WaitUntilHoldingAllAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(_consumers.Select(consumer => consumer.WaitForAsync(ShardConsumerState.Holding, cancellationToken)));

    /// <summary>Closes every shard's channel, then the connection, so successors get the queues without waiting for a timeout.</summary>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_consumers.Select(consumer => consumer.DisposeAsync().AsTask())).ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
