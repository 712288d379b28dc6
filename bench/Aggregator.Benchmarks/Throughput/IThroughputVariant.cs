namespace Aggregator.Benchmarks.Throughput;

/// <summary>
/// One way of moving a shape's messages (the actor kernel, a raw Channel, or bare Interlocked counters). It is set up
/// once and then runs rounds of a requested size, so the measurement loop treats every variant alike.
/// </summary>
internal interface IThroughputVariant : IAsyncDisposable
{
    /// <summary>Row label in the table, e.g. <c>kernel</c>, <c>channel</c>, <c>interlocked</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Moves about <paramref name="messages"/> messages (rounded to the shape's granularity) and returns how many were
    /// moved and how long it took. Throws <see cref="RoundTimeoutException"/> after <paramref name="timeout"/> and
    /// <see cref="MessageConservationException"/> when receivers did not see exactly what was sent.
    /// </summary>
    Task<RoundResult> RunRoundAsync(long messages, TimeSpan timeout);
}

/// <summary>What one round moved, and in how long.</summary>
internal readonly record struct RoundResult(long Messages, TimeSpan Elapsed)
{
    public double Rate => Messages / Math.Max(Elapsed.TotalSeconds, 1e-9);
}
