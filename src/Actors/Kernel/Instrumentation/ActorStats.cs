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
    private long busyTicks;
    /// <summary>Stopwatch timestamp at which the current turn began, 0 when idle: shows a stuck actor before its turn ends.</summary>
    private long turnStartedAt;
    /// <summary>Seqlock over the two fields above: odd while the turn's end updates both, so readers never see one without the other.</summary>
    private int version;
    public long PeakMailboxDepth;
    public long SlowMessages;
    public long Unhandled;
    public long Restarts;
    public long MailboxOverflow;
    /// <summary>Sampled durations; inline until an actor has recorded more than a few (most short-lived actors never allocate them).</summary>
    public CompactHistogram MailboxWait;
    public CompactHistogram Processing;

    /// <summary>Turn owner: a turn starts at <paramref name="timestamp"/>. One atomic store that leaves busy time as it is, so any reader sees a consistent pair without the seqlock.</summary>
    public void BeginTurn(long timestamp) => Volatile.Write(ref turnStartedAt, timestamp);

    /// <summary>Turn owner: the turn that began at <paramref name="started"/> ended at <paramref name="ended"/>.</summary>
    public void EndTurn(long started, long ended)
    {
        Volatile.Write(ref version, version + 1);
        Volatile.Write(ref busyTicks, busyTicks + (ended - started));
        Volatile.Write(ref turnStartedAt, 0);
        Volatile.Write(ref version, version + 1);
    }

    /// <summary>Any thread: busy time including a turn still in progress, and when that turn began (0 if idle).</summary>
    public (TimeSpan Busy, long TurnStartedAt) ReadBusy(long now)
    {
        var spinner = new SpinWait();
        while (true)
        {
            var before = Volatile.Read(ref version);
            var busy = Volatile.Read(ref busyTicks);
            var started = Volatile.Read(ref turnStartedAt);
            if ((before & 1) == 0 && Volatile.Read(ref version) == before)
            {
                if (started != 0 && now > started) busy += now - started;
                return (Stopwatch.GetElapsedTime(0, busy), started);
            }
            spinner.SpinOnce();
        }
    }

    /// <summary>Busy ticks of finished turns (for folding a stopped actor into its type's totals).</summary>
    public long FinishedBusyTicks => Volatile.Read(ref busyTicks);
}
