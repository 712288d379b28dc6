namespace Aggregator.Host.Cluster;

/// <summary>
/// How long a shard consumer waits before trying again: exponential from <see cref="Initial"/>, capped at
/// <see cref="Max"/>, with jitter so the pods of a rolling restart do not all knock at the same instant. The cap
/// is also the longest a successor waits after the holder lets go.
/// </summary>
public sealed record ShardBackoff(TimeSpan Initial, TimeSpan Max)
{
    /// <summary>100 ms doubling up to 5 s.</summary>
    public static ShardBackoff Default { get; } = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));

    /// <summary>The wait before retry number <paramref name="attempt"/> (0-based): between half and all of the capped exponential.</summary>
    public TimeSpan Delay(int attempt)
    {
        var exponential = Initial.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt, 0, 30));
        var capped = Math.Min(exponential, Max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + Random.Shared.NextDouble() * 0.5));
    }
}
