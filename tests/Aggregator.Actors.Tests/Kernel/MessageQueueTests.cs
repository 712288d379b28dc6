using Aggregator.Actors.Kernel.Dispatch;

namespace Aggregator.Actors.Tests.Kernel;

public sealed class MessageQueueTests
{
    [Fact]
    public void Keeps_FIFO_order_across_segment_growth()
    {
        var queue = new MessageQueue();
        const int count = 10 * MessageQueue.MaxSegmentLength;
        var boxes = Enumerable.Range(0, count).Select(i => (object)i).ToArray();
        foreach (var box in boxes) queue.Enqueue(box, null);
        Assert.Equal(count, queue.Count);

        for (var i = 0; i < count; i++)
        {
            Assert.True(queue.TryDequeue(out var envelope));
            Assert.Equal(i, (int)envelope.Message!);
        }
        Assert.False(queue.TryDequeue(out _));
        Assert.False(queue.HasMessages);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Interleaved_enqueue_and_dequeue_reuse_the_ring()
    {
        var queue = new MessageQueue();
        var next = 0;
        for (var round = 0; round < 1_000; round++)
        {
            for (var i = 0; i < 5; i++) queue.Enqueue(round * 5 + i, null);
            for (var i = 0; i < 5; i++)
            {
                Assert.True(queue.TryDequeue(out var envelope));
                Assert.Equal(next++, (int)envelope.Message!);
            }
        }
        Assert.False(queue.HasMessages);
    }

    [Fact]
    public void Samples_enqueue_time_on_one_position_in_SampleEvery()
    {
        var queue = new MessageQueue();
        for (var i = 0; i < 64; i++) queue.Enqueue(i, null);
        var stamped = 0;
        while (queue.TryDequeue(out var envelope)) if (envelope.EnqueuedAt != 0) stamped++;
        Assert.InRange(stamped, 64 / MessageQueue.SampleEvery, 64 / MessageQueue.SampleEvery + 6); // one per ring position cycle
    }

    [Fact]
    public void Concurrent_producers_lose_nothing_duplicate_nothing_and_keep_their_own_order()
    {
        var queue = new MessageQueue();
        const int producers = 8;
        const int perProducer = 100_000;
        var lastSeen = Enumerable.Repeat(-1, producers).ToArray();
        var received = 0;
        using var start = new Barrier(producers + 1);
        var threads = Enumerable.Range(0, producers).Select(p => new Thread(() =>
        {
            var messages = Enumerable.Range(0, perProducer).Select(i => (object)(p * perProducer + i)).ToArray();
            start.SignalAndWait();
            foreach (var message in messages) queue.Enqueue(message, p);
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        start.SignalAndWait();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (received < producers * perProducer)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Only {received} of {producers * perProducer} messages arrived.");
            if (!queue.TryDequeue(out var envelope)) continue;
            var producer = (int)envelope.Sender!;
            var sequence = (int)envelope.Message! - producer * perProducer;
            Assert.Equal(lastSeen[producer] + 1, sequence);
            lastSeen[producer] = sequence;
            received++;
        }
        foreach (var thread in threads) thread.Join();
        Assert.False(queue.TryDequeue(out _));
        Assert.All(lastSeen, last => Assert.Equal(perProducer - 1, last));
    }
}
