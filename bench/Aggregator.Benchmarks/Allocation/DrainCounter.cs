namespace Aggregator.Benchmarks.Allocation;

/// <summary>
/// How far a receiver has got, so an allocation benchmark can wait for its batch to be consumed: the queue then never
/// grows without bound, and what is measured is the steady-state Tell, not mailbox growth.
/// </summary>
internal sealed class DrainCounter
{
    private long processed;
    private long sent;

    /// <summary>Receiver side (single writer).</summary>
    public void Add(long value) => Volatile.Write(ref processed, processed + value);

    /// <summary>Sender side: records a batch about to be sent and returns the count to wait for.</summary>
    public long Expect(long batch) => sent += batch;

    /// <summary>Spins (yielding, never sleeping) until the receiver has processed <paramref name="target"/> messages.</summary>
    public void WaitFor(long target)
    {
        var spinner = new SpinWait();
        while (Volatile.Read(ref processed) < target) spinner.SpinOnce(sleep1Threshold: -1);
    }
}
