using Aggregator.Contracts;
using Aggregator.Host.Cluster;

namespace Aggregator.Host.Tests.Cluster;

/// <summary>Records what a shard consumer hands on, and lets a test await a number of deliveries instead of sleeping.</summary>
internal sealed class RecordingDeliveryHandler : IShardDeliveryHandler
{
    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];

    public List<Delivery> Deliveries { get; } = [];

    public List<string> Events { get; } = [];

    /// <summary>Throws from <see cref="HandleAsync"/> for the delivery with this many handled before it (once).</summary>
    public int? FailAt { get; set; }

    public ValueTask AcquiredAsync(int shard)
    {
        lock (_lock) Events.Add($"acquired {shard}");
        return ValueTask.CompletedTask;
    }

    public ValueTask HandleAsync(int shard, ulong deliveryTag, string? messageId, IReadOnlyList<IEntryMessage> messages)
    {
        lock (_lock)
        {
            if (FailAt == Deliveries.Count)
            {
                FailAt = null;
                throw new InvalidOperationException("the test's handler fails here");
            }
            Deliveries.Add(new Delivery(shard, deliveryTag, messages));
            foreach (var waiter in _waiters.Where(waiter => Deliveries.Count >= waiter.Count)) waiter.Done.TrySetResult();
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask ReleasedAsync(int shard)
    {
        lock (_lock) Events.Add($"released {shard}");
        return ValueTask.CompletedTask;
    }

    public IReadOnlyList<Delivery> Snapshot()
    {
        lock (_lock) return [.. Deliveries];
    }

    /// <summary>Completes when at least <paramref name="count"/> deliveries have been handled.</summary>
    public Task WaitForDeliveriesAsync(int count)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (Deliveries.Count >= count) return Task.CompletedTask;
            _waiters.Add((count, done));
        }
        return done.Task.WaitAsync(TestContext.Timeout);
    }

    public sealed record Delivery(int Shard, ulong Tag, IReadOnlyList<IEntryMessage> Messages);
}
