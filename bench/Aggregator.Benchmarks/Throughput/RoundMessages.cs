namespace Aggregator.Benchmarks.Throughput;

/// <summary>
/// Sent to a summing receiver before a round's payloads: how many payloads to expect and whom to tell when they have
/// all arrived. It travels through the same queue as the payloads, so FIFO order makes it arrive first.
/// </summary>
internal sealed record Quota(long Messages, RoundLatch Latch);

/// <summary>Starts a ping-pong client: send <paramref name="InFlight"/> payloads, then one more per reply until <paramref name="RoundTrips"/>.</summary>
internal sealed record Serve(long RoundTrips, int InFlight, RoundLatch Latch);

/// <summary>Asks a ping-pong echo for the sum of what it received since the last report (message conservation).</summary>
internal sealed record Report(RoundLatch Latch);

/// <summary>
/// Diagnostic: the receiver reports that it is holding and spins until released, so a backlog can be queued behind it
/// and the consumer's drain rate timed without producers competing for the cores. Spinning (not blocking) keeps the
/// release-to-run latency far below the drain time.
/// </summary>
internal sealed class Hold
{
    private volatile bool holding;
    private volatile bool released;

    public bool IsHolding => holding;

    public void Release() => released = true;

    /// <summary>Receiver side: runs inside the receiver's handler.</summary>
    public void HoldUntilReleased()
    {
        holding = true;
        var spinner = new SpinWait();
        while (!released) spinner.SpinOnce(sleep1Threshold: -1);
    }
}
