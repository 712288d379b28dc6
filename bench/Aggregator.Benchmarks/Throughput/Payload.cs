namespace Aggregator.Benchmarks.Throughput;

/// <summary>
/// The one message every variant passes. Instances are created before a round and reused for every send, so
/// a run measures the cost of passing a message, not of allocating one.
/// </summary>
public sealed class Payload
{
    /// <summary>Added to the receiver's sum: every variant does this same work per message, and Σ sums = messages sent.</summary>
    public readonly long Value = 1;
}
