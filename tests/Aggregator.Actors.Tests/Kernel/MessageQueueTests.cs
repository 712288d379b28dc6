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
    public void A_sustained_backlog_reuses_drained_rings_instead_of_allocating()
    {
        var queue = new MessageQueue();
        var boxes = Enumerable.Range(0, MessageQueue.MaxSegmentLength).Select(i => (object)i).ToArray();
        // Keep about three full rings queued; each round adds one ring's worth and takes one ring's worth.
        for (var i = 0; i < 3; i++) foreach (var box in boxes) queue.Enqueue(box, null);
        var expected = 0;
        var outOfOrder = 0; // counted, not asserted, in the loop: xunit's Assert allocates
        void Round()
        {
            foreach (var box in boxes) queue.Enqueue(box, null);
            for (var i = 0; i < boxes.Length; i++)
            {
                if (!queue.TryDequeue(out var envelope) || (int)envelope.Message! != expected) outOfOrder++;
                expected = (expected + 1) % boxes.Length;
            }
        }
        for (var round = 0; round < 5; round++) Round(); // warm up: rings reach full size, a spare exists

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 100; round++) Round();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Without reuse: one 64 KiB ring per round, 6.4 MB. With reuse: nothing per round.
        Assert.Equal(0, outOfOrder);
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes over 100 rounds of {boxes.Length} messages");
        Assert.Equal(3L * boxes.Length, queue.Count);
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

    [Theory]
    [InlineData(8, 100_000, 0)]
    [InlineData(4, 200_000, 200)] // a consumer that pauses: deep backlogs, rings frozen, drained and reused
    public void Concurrent_producers_lose_nothing_duplicate_nothing_and_keep_their_own_order(int producers, int perProducer, int pauseEvery)
    {
        var queue = new MessageQueue();
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
            if (pauseEvery > 0 && received % pauseEvery == 0) Thread.SpinWait(2_000);
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
