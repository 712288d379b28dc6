namespace Aggregator.Actors.Kernel.Instrumentation;

/// <summary>One actor's counters at one moment; cumulative since it started. Compare two with <see cref="RatesSince"/>.</summary>
public sealed record ActorSnapshot(
    string Path,
    string ActorType,
    long MessagesProcessed,
    TimeSpan BusyTime,
    TimeSpan? InProgressFor,
    long MailboxDepth,
    long PeakMailboxDepth,
    long SlowMessages,
    long Unhandled,
    long Restarts,
    long MailboxOverflow,
    HistogramSnapshot MailboxWait,
    HistogramSnapshot Processing)
{
    /// <summary>Rates over the interval since <paramref name="earlier"/> (the same actor, read <paramref name="elapsed"/> before).</summary>
    public ActorRates RatesSince(ActorSnapshot earlier, TimeSpan elapsed)
    {
        var seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
        var busy = (BusyTime - earlier.BusyTime).TotalSeconds;
        return new ActorRates(
            Path,
            ActorType,
            (MessagesProcessed - earlier.MessagesProcessed) / seconds,
            Math.Clamp(busy / seconds, 0, 1),
            MailboxWait.Minus(earlier.MailboxWait),
            Processing.Minus(earlier.Processing));
    }
}

/// <summary>Per-actor rates over an interval: messages per second and utilization (busy time ÷ wall time, 0..1).</summary>
public sealed record ActorRates(
    string Path,
    string ActorType,
    double MessagesPerSecond,
    double Utilization,
    HistogramSnapshot MailboxWait,
    HistogramSnapshot Processing);

/// <summary>Totals per actor type, including actors that have already stopped (so counters never go backwards).</summary>
public sealed record ActorTypeSnapshot(
    string ActorType,
    int LiveActors,
    long MessagesProcessed,
    TimeSpan BusyTime,
    long MailboxDepth,
    long SlowMessages,
    long Unhandled,
    long Restarts,
    long DeadLetters,
    long MailboxOverflow,
    HistogramSnapshot MailboxWait,
    HistogramSnapshot Processing);

/// <summary>The whole kernel at one moment: every live actor, totals per type, and system-wide gauges.</summary>
public sealed record KernelSnapshot(
    DateTimeOffset TakenAt,
    TimeSpan Uptime,
    int LiveActors,
    long DeadLetters,
    long UnhandledMessages,
    long ThreadPoolQueueLength,
    int ThreadPoolThreads,
    IReadOnlyList<ActorSnapshot> Actors,
    IReadOnlyList<ActorTypeSnapshot> Types);
