namespace Aggregator.Actors.Kernel.Events;

/// <summary>Lets at most N log lines through per window and counts the rest, so a flood of dead letters cannot flood the log.</summary>
internal sealed class LogRateLimiter(int maxPerWindow, TimeSpan window, TimeProvider clock)
{
    private readonly object gate = new();
    private long windowStart = clock.GetTimestamp();
    private int inWindow;
    private long suppressed;

    /// <summary>True when this line may be logged; <paramref name="suppressedBefore"/> is how many were dropped since the last one logged.</summary>
    public bool TryAcquire(out long suppressedBefore)
    {
        lock (gate)
        {
            if (clock.GetElapsedTime(windowStart) >= window)
            {
                windowStart = clock.GetTimestamp();
                inWindow = 0;
            }
            if (inWindow < maxPerWindow)
            {
                inWindow++;
                suppressedBefore = suppressed;
                suppressed = 0;
                return true;
            }
            suppressed++;
            suppressedBefore = 0;
            return false;
        }
    }
}
