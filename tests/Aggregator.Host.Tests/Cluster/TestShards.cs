using Aggregator.Host.Cluster;
using Aggregator.Transport;
using RabbitMQ.Client;

namespace Aggregator.Host.Tests.Cluster;

/// <summary>
/// Shard queues under a prefix no other test uses, on the broker ./scripts/test.sh started, with a plain client
/// connection for looking at them from outside the code under test; deletes the queues when disposed.
/// </summary>
internal sealed class TestShards : IAsyncDisposable
{
    public const string Variable = "AGGREGATOR_TEST_RABBITMQ";

    private IConnection? _inspection;

    public TestShards(int count)
    {
        Queues = new ShardQueues("t" + Guid.NewGuid().ToString("N"), count);
    }

    public static Uri Uri => new(Environment.GetEnvironmentVariable(Variable)!);

    public ShardQueues Queues { get; }

    public ShardPublisher Publisher() => new(Queues, Uri, TimeSpan.FromSeconds(10));

    public ShardConnection Connection(string name) => new(Uri, name, TimeSpan.FromSeconds(10));

    /// <summary>A connection of the plain client, not of the code under test.</summary>
    public async Task<IConnection> InspectionAsync()
    {
        return _inspection ??= await new ConnectionFactory { Uri = Uri }.CreateConnectionAsync(TestContext.Timeout);
    }

    /// <summary>Messages ready in the shard's queue (not delivered to a consumer).</summary>
    public async Task<uint> ReadyAsync(int shard)
    {
        await using var channel = await (await InspectionAsync()).CreateChannelAsync(cancellationToken: TestContext.Timeout);
        var ok = await channel.QueueDeclarePassiveAsync(Queues.Name(shard), TestContext.Timeout);
        return ok.MessageCount;
    }

    public async ValueTask DisposeAsync()
    {
        var connection = await InspectionAsync();
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: TestContext.Timeout))
        {
            for (var shard = 0; shard < Queues.Count; shard++)
            {
                await channel.QueueDeleteAsync(Queues.Name(shard), ifUnused: false, ifEmpty: false, cancellationToken: TestContext.Timeout);
            }
        }
        await connection.CloseAsync();
        await connection.DisposeAsync();
    }
}
