using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Aggregator.Contracts;
using Aggregator.Contracts.Wire;
using Aggregator.Host.Cluster;
using Aggregator.Transport;
using Aggregator.Host.Tests.TestServices;
using RabbitMQ.Client;

namespace Aggregator.Host.Tests.Cluster;

public sealed class ShardPublisherTests
{
    [ServiceFact(TestShards.Variable)]
    public async Task Every_message_lands_in_its_entrys_shard_queue_once_in_request_order()
    {
        await using var shards = new TestShards(8);
        var sent = new List<IEntryMessage>();
        await using (var publisher = shards.Publisher())
        {
            for (var request = 0; request < 10; request++)
            {
                var batch = Enumerable.Range(0, 100)
                    .Select(i => (IEntryMessage)new Add($"entry-{(request * 7 + i) % 40}", "n", request * 100 + i))
                    .ToList();
                await publisher.PublishAsync(batch, TestContext.Timeout);
                sent.AddRange(batch);
            }
        }

        var received = new List<IEntryMessage>();
        var messageIds = new HashSet<string>();
        await using var channel = await (await shards.InspectionAsync()).CreateChannelAsync(cancellationToken: TestContext.Timeout);
        for (var shard = 0; shard < shards.Queues.Count; shard++)
        {
            while (await channel.BasicGetAsync(shards.Queues.Name(shard), autoAck: true, TestContext.Timeout) is { } got)
            {
                Assert.Equal("application/x-ndjson", got.BasicProperties.ContentType);
                Assert.Equal(DeliveryModes.Persistent, got.BasicProperties.DeliveryMode);
                Assert.True(messageIds.Add(got.BasicProperties.MessageId ?? ""), "every published message has its own id");
                var batch = WireBatchReader.Read(got.Body.Span, WireBodyFormat.NdJson);
                Assert.Empty(batch.Rejected);
                Assert.All(batch.Messages, message => Assert.Equal(shard, shards.Queues.ShardOf(message.EntryId)));
                received.AddRange(batch.Messages);
            }
        }

        Assert.Equal(sent.Count, received.Count);
        foreach (var entry in sent.GroupBy(message => message.EntryId))
        {
            Assert.Equal(entry, received.Where(message => message.EntryId == entry.Key));
        }
        // 10 requests each touching every shard: one message per shard per request.
        Assert.True(sent.Select(message => shards.Queues.ShardOf(message.EntryId)).Distinct().Count() > 1);
    }

    [ServiceFact(TestShards.Variable)]
    public async Task A_completed_publish_is_already_on_the_broker()
    {
        await using var shards = new TestShards(4);
        var message = new Set("confirmed", "status", FieldValue.Of("ok"));
        await using (var publisher = shards.Publisher())
        {
            await publisher.PublishAsync([message], TestContext.Timeout);
        }

        // A fresh connection of the plain client finds it at once: the confirm came after the broker enqueued it.
        await using var connection = await new ConnectionFactory { Uri = TestShards.Uri }.CreateConnectionAsync(TestContext.Timeout);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: TestContext.Timeout);
        var got = await channel.BasicGetAsync(shards.Queues.Name(shards.Queues.ShardOf("confirmed")), autoAck: true, TestContext.Timeout);
        Assert.NotNull(got);
        Assert.Equal(message, Assert.Single(WireBatchReader.Read(got.Body.Span, WireBodyFormat.NdJson).Messages));
    }

    [ServiceFact(TestShards.Variable)]
    public async Task Concurrent_requests_are_all_confirmed()
    {
        await using var shards = new TestShards(4);
        await using (var publisher = shards.Publisher())
        {
            await Task.WhenAll(Enumerable.Range(0, 50).Select(request =>
                publisher.PublishAsync([new Add($"a{request}", "n", 1), new Add($"b{request}", "n", 1)], TestContext.Timeout)));
        }

        var total = 0;
        await using var channel = await (await shards.InspectionAsync()).CreateChannelAsync(cancellationToken: TestContext.Timeout);
        for (var shard = 0; shard < shards.Queues.Count; shard++)
        {
            while (await channel.BasicGetAsync(shards.Queues.Name(shard), autoAck: true, TestContext.Timeout) is { } got)
            {
                total += WireBatchReader.Read(got.Body.Span, WireBodyFormat.NdJson).Messages.Count;
            }
        }
        Assert.Equal(100, total);
    }

    [ServiceFact(TestShards.Variable)]
    public async Task A_request_that_fails_on_one_shard_reports_which_shards_were_confirmed()
    {
        await using var shards = new TestShards(4);
        var entries = Enumerable.Range(0, 100).Select(i => $"e{i}").ToList();
        var firstOfShard = Enumerable.Range(0, 4).Select(shard => entries.First(entry => shards.Queues.ShardOf(entry) == shard)).ToList();
        await using var publisher = shards.Publisher();
        await publisher.PublishAsync([new Close(firstOfShard[0])], TestContext.Timeout); // opens the channel and declares the queues
        await using (var channel = await (await shards.InspectionAsync()).CreateChannelAsync(cancellationToken: TestContext.Timeout))
        {
            await channel.QueueDeleteAsync(shards.Queues.Name(2), ifUnused: false, ifEmpty: false, cancellationToken: TestContext.Timeout);
        }

        var error = await Assert.ThrowsAsync<ShardPublishException>(() =>
            publisher.PublishAsync([.. firstOfShard.Select(entry => (IEntryMessage)new Close(entry))], TestContext.Timeout));

        Assert.Equal([2], error.Failed);
        Assert.Equal([0, 1, 3], error.Published.Order());
        Assert.Contains("does not exist", error.Message);
        Assert.Contains("retrying the whole request applies their messages again", error.Message);
        Assert.Equal(2u, await shards.ReadyAsync(0));
        await using (var channel = await (await shards.InspectionAsync()).CreateChannelAsync(cancellationToken: TestContext.Timeout))
        {
            await shards.Queues.DeclareAsync(channel, 2, TestContext.Timeout); // so the cleanup finds every queue
        }
    }

    [Fact]
    public async Task An_unreachable_broker_fails_quickly_with_a_publish_exception()
    {
        var port = FreePort();
        var queues = new ShardQueues("unreachable", 4);
        await using var publisher = new ShardPublisher(queues, new Uri($"amqp://guest:guest@127.0.0.1:{port}/"), TimeSpan.FromSeconds(2));
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ShardPublishException>(() => publisher.PublishAsync([new Close("a"), new Close("b")], TestContext.Timeout));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Empty(error.Published);
        Assert.Equal(new[] { "a", "b" }.Select(queues.ShardOf).Distinct().Order(), error.Failed.Order());
        Assert.Contains("unreachable", error.Message);
    }

    [Fact]
    public async Task A_broker_that_never_answers_fails_within_the_publish_timeout()
    {
        // Accepts the TCP connection and then says nothing, like a hung broker or a black-holed route.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using var publisher = new ShardPublisher(new ShardQueues("silent", 4), new Uri($"amqp://guest:guest@127.0.0.1:{port}/"), TimeSpan.FromSeconds(1));
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ShardPublishException>(() => publisher.PublishAsync([new Close("a")], TestContext.Timeout));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}: {error}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
