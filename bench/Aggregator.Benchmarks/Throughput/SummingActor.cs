using Aggregator.Actors.Kernel;

namespace Aggregator.Benchmarks.Throughput;

/// <summary>
/// The kernel-side receiver of fan-in and fan-out: adds each payload's value to its sum and signals the round's latch
/// when its quota has arrived. The payload handler is registered first, so the hot path is one type test.
/// </summary>
internal sealed class SummingActor : ReceiveActor
{
    private long expected = long.MaxValue;
    private long count;
    private long sum;
    private RoundLatch? latch;

    public SummingActor()
    {
        Receive<Payload>(payload =>
        {
            sum += payload.Value;
            if (++count == expected) latch!.Signal(sum);
        });
        Receive<Quota>(quota =>
        {
            expected = quota.Messages;
            latch = quota.Latch;
            count = 0;
            sum = 0;
        });
        Receive<Hold>(hold => hold.HoldUntilReleased());
    }
}
