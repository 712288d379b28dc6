using System.Diagnostics;

namespace Aggregator.Actors.Kernel.Instrumentation;

/// <summary>
/// One actor's hot-path counters. The actor's own turn is the only writer of most fields (plain stores,
/// published with Volatile.Write); producers touch only the overflow counter, which is rare. Readers take a
/// <see cref="ActorSnapshot"/> and compute rates and percentiles from there.
/// </summary>
internal sealed class ActorStats
{
    public long Processed;
    public long BusyTicks;
    /// <summary>Stopwatch timestamp at which the current turn began, 0 when idle: shows a stuck actor before its turn ends.</summary>
    public long TurnStartedAt;
    public long PeakMailboxDepth;
    public long SlowMessages;
    public long Unhandled;
    public long Restarts;
    public long MailboxOverflow;
    public Log2Histogram MailboxWait;
    public Log2Histogram Processing;

    /// <summary>Busy time including a turn still in progress.</summary>
    public TimeSpan BusyTime(long now)
    {
        var busy = Volatile.Read(ref BusyTicks);
        var started = Volatile.Read(ref TurnStartedAt);
        if (started != 0 && now > started) busy += now - started;
        return Stopwatch.GetElapsedTime(0, busy);
    }
}
