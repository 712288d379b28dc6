using Aggregator.Actors.Kernel;

namespace Aggregator.Benchmarks.Throughput;

/// <summary>
/// Diagnostic twin of <see cref="SummingActor"/> written against <see cref="ActorBase"/> with a plain type switch
/// instead of <see cref="ReceiveActor"/>'s handler list: the difference between the two drain rates is the cost of
/// ReceiveActor's dispatch (handler loop, generic type test, delegate call).
/// </summary>
internal sealed class PlainSummingActor : ActorBase
{
    private long expected = long.MaxValue;
    private long count;
    private long sum;
    private RoundLatch? latch;

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case Payload payload:
                sum += payload.Value;
                if (++count == expected) latch!.Signal(sum);
                return true;
            case Quota quota:
                expected = quota.Messages;
                latch = quota.Latch;
                count = 0;
                sum = 0;
                return true;
            case Hold hold:
                hold.HoldUntilReleased();
                return true;
            default:
                return false;
        }
    }
}
