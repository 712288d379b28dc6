using System.Text;
using Aggregator.Contracts;
using Aggregator.Host.Cluster;
using Aggregator.Host.Configuration;
using Aggregator.Host.Tests.TestServices;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Aggregator.Host.Tests.Cluster;

public sealed class ShardConsumerTests
{
    private static readonly ShardBackoff Quick = new(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200));

    [ServiceFact(TestShards.Variable)]
    public async Task Consuming_every_shard_keeps_each_entrys_order()
    {
        await using var shards = new TestShards(6);
        var sent = new List<IEntryMessage>();
        await using (var publisher = shards.Publisher())
        {
            for (var request = 0; request < 20; request++)
            {
                var batch = Enumerable.Range(0, 50).Select(i => (IEntryMessage)new Add($"e{(request + i) % 30}", "n", request * 50 + i)).ToList();
                await publisher.PublishAsync(batch, TestContext.Timeout);
                sent.AddRange(batch);
            }
        }
        var handler = new RecordingDeliveryHandler();
        var options = new ClusterOptions { RabbitMqUri = TestShards.Uri.ToString(), Shards = 6, Nodes = 1, QueuePrefix = shards.Queues.Prefix, Prefetch = 50 };
        // One delivery per shard a request touched.
        var expectedDeliveries = sent.Chunk(50).Sum(request => request.Select(message => shards.Queues.ShardOf(message.EntryId)).Distinct().Count());

        await using (var ownership = new ShardOwnership(options, 0, handler, backoff: Quick))
        {
            ownership.Start();
            await handler.WaitForDeliveriesAsync(expectedDeliveries);
        }

        var deliveries = handler.Snapshot();
        Assert.Equal(expectedDeliveries, deliveries.Count);
        Assert.All(deliveries, delivery => Assert.All(delivery.Messages, message => Assert.Equal(delivery.Shard, shards.Queues.ShardOf(message.EntryId))));
        var received = deliveries.SelectMany(delivery => delivery.Messages).ToList();
        Assert.Equal(sent.Count, received.Count);
        foreach (var entry in sent.GroupBy(message => message.EntryId))
        {
            Assert.Equal(entry, received.Where(message => message.EntryId == entry.Key));
        }
    }

    [ServiceFact(TestShards.Variable)]
    public async Task A_second_exclusive_consumer_is_refused_and_takes_over_when_the_first_lets_go()
    {
        await using var shards = new TestShards(1);
        await using var first = shards.Connection("first pod");
        await using var second = shards.Connection("second pod");
        var firstHandler = new RecordingDeliveryHandler();
        var secondHandler = new RecordingDeliveryHandler();
        var holder = new ShardConsumer(first, shards.Queues, 0, firstHandler, 10, Quick);
        await using var successor = new ShardConsumer(second, shards.Queues, 0, secondHandler, 10, Quick);

        holder.Start();
        await holder.WaitForAsync(ShardConsumerState.Holding, TestContext.Timeout);

        // The broker itself refuses anyone else's exclusive consume while the holder has it.
        await using (var connection = await new ConnectionFactory { Uri = TestShards.Uri }.CreateConnectionAsync(TestContext.Timeout))
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: TestContext.Timeout))
        {
            var refused = await Assert.ThrowsAsync<OperationInterruptedException>(() => channel.BasicConsumeAsync(
                shards.Queues.Name(0), autoAck: false, consumerTag: "", noLocal: false, exclusive: true, arguments: null,
                new AsyncEventingBasicConsumerStub(channel), TestContext.Timeout));
            Assert.Equal((ushort)Constants.AccessRefused, refused.ShutdownReason?.ReplyCode ?? 0);
        }

        successor.Start();
        Assert.Equal(ShardConsumerState.Waiting, successor.State);
        await using (var publisher = shards.Publisher())
        {
            await publisher.PublishAsync([new Close("only-one-owner")], TestContext.Timeout);
        }
        await firstHandler.WaitForDeliveriesAsync(1);
        Assert.Equal(ShardConsumerState.Waiting, successor.State);
        Assert.Empty(secondHandler.Snapshot());

        await holder.DisposeAsync();
        Assert.Equal(ShardConsumerState.Stopped, holder.State);
        await successor.WaitForAsync(ShardConsumerState.Holding, TestContext.Timeout);
        // The holder never acked, so the successor gets the delivery again.
        await secondHandler.WaitForDeliveriesAsync(1);
        Assert.Equal(new Close("only-one-owner"), Assert.Single(secondHandler.Snapshot()[0].Messages));
        Assert.Equal(["acquired 0", "released 0"], firstHandler.Events);
    }

    [ServiceFact(TestShards.Variable)]
    public async Task Acked_deliveries_are_gone_and_unacked_ones_go_to_the_next_owner()
    {
        await using var shards = new TestShards(1);
        await using (var publisher = shards.Publisher())
        {
            for (var i = 0; i < 10; i++) await publisher.PublishAsync([new Add("e", "n", i)], TestContext.Timeout);
        }

        await using var connection = shards.Connection("pods");
        var firstHandler = new RecordingDeliveryHandler();
        var first = new ShardConsumer(connection, shards.Queues, 0, firstHandler, 100, Quick);
        first.Start();
        await firstHandler.WaitForDeliveriesAsync(10);
        var handled = firstHandler.Snapshot();
        Assert.Equal(handled[^1].Tag, first.LastHandledTag);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await first.AckUpToAsync(first.LastHandledTag + 1, TestContext.Timeout));
        Assert.True(await first.AckUpToAsync(handled[5].Tag, TestContext.Timeout)); // a checkpoint covering deliveries 0..5
        await first.DisposeAsync();
        Assert.False(await first.AckUpToAsync(handled[9].Tag, TestContext.Timeout)); // its channel is gone: requeued, not acked

        var nextHandler = new RecordingDeliveryHandler();
        var next = new ShardConsumer(connection, shards.Queues, 0, nextHandler, 100, Quick);
        next.Start();
        await nextHandler.WaitForDeliveriesAsync(4);
        var redelivered = nextHandler.Snapshot();
        Assert.Equal([6L, 7L, 8L, 9L], redelivered.SelectMany(delivery => delivery.Messages).Cast<Add>().Select(add => add.Delta));
        Assert.True(await next.AckUpToAsync(redelivered[^1].Tag, TestContext.Timeout));
        await next.DisposeAsync();
        Assert.Equal(4, nextHandler.Snapshot().Count);
        Assert.Equal(0u, await shards.ReadyAsync(0)); // nothing left, so nothing else was outstanding
    }

    [ServiceFact(TestShards.Variable)]
    public async Task A_handover_while_producers_publish_applies_every_message_exactly_once()
    {
        await using var shards = new TestShards(2);
        var options = new ClusterOptions { RabbitMqUri = TestShards.Uri.ToString(), Shards = 2, Nodes = 1, QueuePrefix = shards.Queues.Prefix, Prefetch = 20 };
        await using var publisher = shards.Publisher();
        var published = 0;
        using var stop = new CancellationTokenSource();
        var producer = Task.Run(async () =>
        {
            for (var request = 0; !stop.IsCancellationRequested || request < 40; request++)
            {
                await publisher.PublishAsync([new Add($"e{request % 5}", "n", request), new Add($"f{request % 7}", "n", request)], TestContext.Timeout);
                Interlocked.Add(ref published, 2);
            }
        });

        // The old owner applies what it sees, checkpoints (acks) part of it, and is stopped as in a rolling restart.
        var oldHandler = new RecordingDeliveryHandler();
        var applied = new List<IEntryMessage>();
        await using (var old = new ShardOwnership(options, 0, oldHandler, backoff: Quick))
        {
            old.Start();
            await oldHandler.WaitForDeliveriesAsync(20);
            foreach (var shard in old.Shards)
            {
                var covered = oldHandler.Snapshot().Where(delivery => delivery.Shard == shard).SkipLast(3).ToList();
                if (covered.Count == 0) continue;
                Assert.True(await old.Consumer(shard).AckUpToAsync(covered[^1].Tag, TestContext.Timeout));
                applied.AddRange(covered.SelectMany(delivery => delivery.Messages));
            }
        }

        // The successor never checkpoints here, so its prefetch must cover every unacked delivery it will get.
        options.Prefetch = 10_000;
        var newHandler = new RecordingDeliveryHandler();
        await using var successor = new ShardOwnership(options, 0, newHandler, backoff: Quick);
        successor.Start();
        await stop.CancelAsync();
        await producer;
        var expected = Volatile.Read(ref published);
        while (applied.Count + newHandler.Snapshot().Sum(delivery => delivery.Messages.Count) < expected)
        {
            await newHandler.WaitForDeliveriesAsync(newHandler.Snapshot().Count + 1);
        }

        applied.AddRange(newHandler.Snapshot().SelectMany(delivery => delivery.Messages));
        Assert.Equal(expected, applied.Count);
        Assert.Equal(expected, applied.Distinct().Count());
        foreach (var entry in applied.GroupBy(message => message.EntryId))
        {
            var deltas = entry.Cast<Add>().Select(add => add.Delta).ToList();
            Assert.Equal(deltas.Order(), deltas); // per-entry order survives the handover
        }
    }

    [ServiceFact(TestShards.Variable)]
    public async Task A_poison_delivery_is_handed_on_empty_and_acked_with_the_checkpoint()
    {
        await using var shards = new TestShards(1);
        await using (var publisher = shards.Publisher())
        {
            await publisher.PublishAsync([new Close("before")], TestContext.Timeout);
        }
        await using (var raw = await (await shards.InspectionAsync()).CreateChannelAsync(cancellationToken: TestContext.Timeout))
        {
            await raw.BasicPublishAsync("", shards.Queues.Name(0), Encoding.UTF8.GetBytes("\n\n  "), TestContext.Timeout);
            await raw.BasicPublishAsync("", shards.Queues.Name(0), Encoding.UTF8.GetBytes("not json\n{\"op\":\"close\",\"entry\":\"inside\"}\n"), TestContext.Timeout);
        }
        await using (var publisher = shards.Publisher())
        {
            await publisher.PublishAsync([new Close("after")], TestContext.Timeout);
        }

        await using var connection = shards.Connection("pod");
        var handler = new RecordingDeliveryHandler();
        await using var consumer = new ShardConsumer(connection, shards.Queues, 0, handler, 10, Quick);
        consumer.Start();
        await handler.WaitForDeliveriesAsync(4);

        var deliveries = handler.Snapshot();
        Assert.Equal(2, consumer.PoisonDeliveries);
        Assert.Empty(deliveries[1].Messages);
        Assert.Equal(new Close("inside"), Assert.Single(deliveries[2].Messages));
        Assert.Equal(new Close("after"), Assert.Single(deliveries[3].Messages));
        Assert.True(await consumer.AckUpToAsync(deliveries[3].Tag, TestContext.Timeout));
        await consumer.DisposeAsync();
        Assert.Equal(0u, await shards.ReadyAsync(0));
    }

    [ServiceFact(TestShards.Variable)]
    public async Task A_failing_handler_drops_the_channel_and_gets_the_delivery_again()
    {
        await using var shards = new TestShards(1);
        await using (var publisher = shards.Publisher())
        {
            for (var i = 0; i < 3; i++) await publisher.PublishAsync([new Add("e", "n", i)], TestContext.Timeout);
        }
        await using var connection = shards.Connection("pod");
        var handler = new RecordingDeliveryHandler { FailAt = 1 };
        await using var consumer = new ShardConsumer(connection, shards.Queues, 0, handler, 10, Quick);
        consumer.Start();

        // Delivery 0 is handled, delivery 1 throws; the shard is released, re-acquired, and 0..2 come again.
        await handler.WaitForDeliveriesAsync(4);
        var deltas = handler.Snapshot().SelectMany(delivery => delivery.Messages).Cast<Add>().Select(add => add.Delta).ToList();
        Assert.Equal([0L, 0L, 1L, 2L], deltas);
        Assert.Equal(["acquired 0", "released 0", "acquired 0"], handler.Events);
        Assert.True(handler.Snapshot()[1].Tag > handler.Snapshot()[0].Tag);
    }

    [ServiceFact(TestShards.Variable)]
    public async Task A_lost_connection_is_reopened_and_the_shard_consumed_again()
    {
        await using var shards = new TestShards(1);
        await using (var publisher = shards.Publisher())
        {
            await publisher.PublishAsync([new Add("e", "n", 1)], TestContext.Timeout);
        }
        await using var connection = shards.Connection("pod");
        var handler = new RecordingDeliveryHandler();
        await using var consumer = new ShardConsumer(connection, shards.Queues, 0, handler, 10, Quick);
        consumer.Start();
        await handler.WaitForDeliveriesAsync(1);

        // The broker goes away for this pod (as after a network cut): the unacked delivery is requeued.
        await (await connection.OpenAsync(TestContext.Timeout)).CloseAsync();

        await handler.WaitForDeliveriesAsync(2);
        await consumer.WaitForAsync(ShardConsumerState.Holding, TestContext.Timeout);
        var deliveries = handler.Snapshot();
        Assert.Equal(deliveries[0].Messages, deliveries[1].Messages);
        Assert.True(deliveries[1].Tag > deliveries[0].Tag, "tags keep growing across re-consumes");
        Assert.Equal(["acquired 0", "released 0", "acquired 0"], handler.Events);
        Assert.True(await consumer.AckUpToAsync(deliveries[1].Tag, TestContext.Timeout));
    }

    [ServiceFact(TestShards.Variable)]
    public async Task Ownership_holds_the_shards_of_its_ordinal_and_lets_them_go()
    {
        await using var shards = new TestShards(8);
        var options = new ClusterOptions { RabbitMqUri = TestShards.Uri.ToString(), Shards = 8, Nodes = 3, QueuePrefix = shards.Queues.Prefix };
        var ownership = new ShardOwnership(options, 1, new RecordingDeliveryHandler(), backoff: Quick);
        Assert.Equal([1, 4, 7], ownership.Shards);
        Assert.False(ownership.HoldsAllShards);

        ownership.Start();
        await ownership.WaitUntilHoldingAllAsync(TestContext.Timeout);
        Assert.True(ownership.HoldsAllShards);

        await ownership.DisposeAsync();
        Assert.False(ownership.HoldsAllShards);
        Assert.All(ownership.Consumers, consumer => Assert.Equal(ShardConsumerState.Stopped, consumer.State));
    }

    /// <summary>A consumer for a consume that is expected to be refused.</summary>
    private sealed class AsyncEventingBasicConsumerStub(IChannel channel) : AsyncDefaultBasicConsumer(channel);
}
