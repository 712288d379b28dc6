using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Aggregator.Contracts;
using Aggregator.Contracts.Client;
using Aggregator.Contracts.Wire;
using Aggregator.Host.Tests.Api;
using Aggregator.Host.Tests.TestServices;
using Aggregator.Transport;
using RabbitMQ.Client;

namespace Aggregator.Host.Tests.Cluster;

/// <summary>
/// The producer client publishing straight to the shard queues (<see cref="ShardQueueClient"/>): what lands in which
/// queue, read back with the plain RabbitMQ client; an unconfirmed publish retried until it is taken; an unreachable
/// broker retried and then counted as a failed batch, never thrown at the caller.
/// </summary>
public sealed class ShardQueueClientTests
{
    [ServiceFact(TestShards.Variable)]
    public async Task Entries_land_in_their_shard_queues_in_order_one_rabbitmq_message_per_batch_each_with_its_own_id()
    {
        await using var shards = new TestShards(8);
        var sent = new List<IEntryMessage>();
        AggregatorClientStatistics stats;
        await using (var client = ShardQueueClient.Create(new AggregatorClientOptions { MaxBatchMessages = 50 }, Options(shards)))
        {
            var entries = Enumerable.Range(0, 40).Select(i => $"direct-{i}").ToList();
            foreach (var entry in entries) sent.Add(new Open(entry, "Direct"));
            for (var round = 0; round < 10; round++)
            {
                foreach (var entry in entries) sent.Add(new Add(entry, "n", round));
            }
            foreach (var entry in entries) sent.Add(new Close(entry));
            foreach (var message in sent) Assert.True(client.Tell(message));

            Assert.True(await client.FlushAsync());
            stats = client.Statistics;
        }

        Assert.Equal(sent.Count, stats.Accepted);
        Assert.Equal(0, stats.FailedBatches + stats.Retries + stats.DroppedOverflow);
        var received = new List<IEntryMessage>();
        var messageIds = new HashSet<string>();
        var rabbitMessages = 0;
        await using var channel = await (await shards.InspectionAsync()).CreateChannelAsync(cancellationToken: TestContext.Timeout);
        for (var shard = 0; shard < shards.Queues.Count; shard++)
        {
            while (await channel.BasicGetAsync(shards.Queues.Name(shard), autoAck: true, TestContext.Timeout) is { } got)
            {
                rabbitMessages++;
                Assert.Equal("application/x-ndjson", got.BasicProperties.ContentType);
                Assert.Equal(DeliveryModes.Persistent, got.BasicProperties.DeliveryMode);
                Assert.True(messageIds.Add(got.BasicProperties.MessageId ?? ""), "every published message has its own id");
                var batch = WireBatchReader.Read(got.Body.Span, WireBodyFormat.NdJson);
                Assert.Empty(batch.Rejected);
                Assert.All(batch.Messages, message => Assert.Equal(shard, (int)(StableHash.Of(message.EntryId) % 8)));
                received.AddRange(batch.Messages);
            }
        }

        Assert.Equal(stats.SentBatches, rabbitMessages);
        Assert.True(rabbitMessages > shards.Queues.Count, "batches of 50 split some shards' messages over several RabbitMQ messages");
        Assert.Equal(sent.Count, received.Count);
        foreach (var entry in sent.GroupBy(message => message.EntryId))
        {
            Assert.Equal(entry, received.Where(message => message.EntryId == entry.Key));
        }
    }

    [ServiceFact(TestShards.Variable)]
    public async Task A_publish_the_broker_returns_is_retried_until_its_queue_is_back_and_then_lands_once()
    {
        await using var shards = new TestShards(4);
        var failures = new ConcurrentQueue<BatchFailure>();
        await using var client = ShardQueueClient.Create(new AggregatorClientOptions
        {
            MaxRetryAttempts = 1_000,
            RetryDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromMilliseconds(100),
            OnBatchFailed = failures.Enqueue,
        }, Options(shards));
        var shard = shards.Queues.ShardOf("returned");
        var elsewhere = Enumerable.Range(0, 100).Select(i => $"first-{i}").First(id => shards.Queues.ShardOf(id) != shard);
        client.Tell(new Open(elsewhere, "Direct"));
        Assert.True(await client.FlushAsync()); // the channel is open and every queue declared
        await using (var channel = await (await shards.InspectionAsync()).CreateChannelAsync(cancellationToken: TestContext.Timeout))
        {
            await channel.QueueDeleteAsync(shards.Queues.Name(shard), ifUnused: false, ifEmpty: false, cancellationToken: TestContext.Timeout);
        }

        client.Tell(new Add("returned", "n", 7));
        await Eventually.GetAsync(() => Task.FromResult((client.Statistics.Retries > 0, 0)), "the client to retry the returned publish");
        Assert.Equal(1, client.Statistics.InBuffer);
        await using (var channel = await (await shards.InspectionAsync()).CreateChannelAsync(cancellationToken: TestContext.Timeout))
        {
            await shards.Queues.DeclareAsync(channel, shard, TestContext.Timeout);
        }
        Assert.True(await client.FlushAsync());

        Assert.Equal(2, client.Statistics.Accepted);
        Assert.Empty(failures);
        Assert.Equal(1u, await shards.ReadyAsync(shard));
    }

    [Fact]
    public async Task An_unreachable_broker_is_retried_then_counted_as_a_failed_batch_without_throwing()
    {
        var port = FreePort();
        var failures = new ConcurrentQueue<BatchFailure>();
        await using var client = ShardQueueClient.Create(new AggregatorClientOptions
        {
            MaxRetryAttempts = 3,
            RetryDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromMilliseconds(50),
            OnBatchFailed = failures.Enqueue,
        }, new ShardQueueOptions
        {
            RabbitMqUri = new Uri($"amqp://guest:guest@127.0.0.1:{port}/"),
            QueuePrefix = "unreachable",
            Shards = 4,
            PublishTimeout = TimeSpan.FromSeconds(2),
        });

        using (var entry = client.Open("Nowhere")) entry.Add("n");

        Assert.True(await client.FlushAsync());
        var stats = client.Statistics;
        Assert.Equal(1, stats.FailedBatches);
        Assert.Equal(3, stats.FailedMessages);
        Assert.Equal(3, stats.Retries);
        Assert.Equal(0, stats.Accepted + stats.InBuffer);
        var failure = Assert.Single(failures);
        Assert.Null(failure.Status);
        Assert.Equal(3, failure.Messages);
        Assert.Contains("RabbitMQ is unreachable", failure.Error);
        Assert.Contains("unreachable.", failure.Error); // the queue's name
        Assert.IsType<ShardPublishException>(failure.Exception);
    }

    private static ShardQueueOptions Options(TestShards shards) =>
        new() { RabbitMqUri = TestShards.Uri, QueuePrefix = shards.Queues.Prefix, Shards = shards.Queues.Count };

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
