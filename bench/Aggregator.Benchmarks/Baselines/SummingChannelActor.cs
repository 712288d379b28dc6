using Aggregator.Benchmarks.Throughput;

namespace Aggregator.Benchmarks.Baselines;

/// <summary>The Channel twin of <see cref="SummingActor"/>: the same per-message work behind a raw Channel reader loop.</summary>
internal sealed class SummingChannelActor : ChannelActor
{
    private long expected = long.MaxValue;
    private long count;
    private long sum;
    private RoundLatch? latch;

    protected override void Receive(object message)
    {
        if (message is Payload payload)
        {
            sum += payload.Value;
            if (++count == expected) latch!.Signal(sum);
        }
        else if (message is Quota quota)
        {
            expected = quota.Messages;
            latch = quota.Latch;
            count = 0;
            sum = 0;
        }
        else if (message is Hold hold)
        {
            hold.HoldUntilReleased();
        }
    }
}
