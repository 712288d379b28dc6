namespace Aggregator.Actors.Kernel.Instrumentation;

/// <summary>
/// History of one actor type: the counters of its stopped actors (folded in at stop, so totals never go
/// backwards) plus dead letters, which arrive after an actor is gone.
/// </summary>
/// <remarks>
/// Short-lived actors stop millions of times a second, each folding its counters in here. One lock per type would
/// make every core queue on the same cache line, so the history is kept in one stripe per processor (the stopping
/// thread's current processor picks it; a stripe's lock is then almost never contended) and summed when read.
/// Folding allocates nothing.
/// </remarks>
internal sealed class ActorTypeTotals(Type actorType)
{
    private static readonly int StripeMask = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount) - 1;
    private readonly Stripe[] stripes = CreateStripes();
    private long deadLetters;

    public Type ActorType { get; } = actorType;
    public string Name { get; } = actorType.Name;

    public void CountDeadLetter() => Interlocked.Increment(ref deadLetters);

    public void Fold(ActorStats stats)
    {
        var stripe = stripes[Thread.GetCurrentProcessorId() & StripeMask];
        lock (stripe)
        {
            stripe.Processed += Volatile.Read(ref stats.Processed);
            stripe.BusyTicks += stats.FinishedBusyTicks;
            stripe.Slow += Volatile.Read(ref stats.SlowMessages);
            stripe.Unhandled += Volatile.Read(ref stats.Unhandled);
            stripe.Restarts += Volatile.Read(ref stats.Restarts);
            stripe.Overflow += Interlocked.Read(ref stats.MailboxOverflow);
            stats.MailboxWait.AddTo(ref stripe.MailboxWait);
            stats.Processing.AddTo(ref stripe.Processing);
        }
    }

    /// <summary>This type's history plus its live actors' current counters.</summary>
    public ActorTypeSnapshot Snapshot(IReadOnlyList<ActorSnapshot> live)
    {
        long processed = 0, busyTicks = 0, slow = 0, unhandled = 0, restarts = 0, overflow = 0;
        var wait = new long[Log2Histogram.BucketCount];
        var work = new long[Log2Histogram.BucketCount];
        foreach (var stripe in stripes)
        {
            lock (stripe)
            {
                processed += stripe.Processed;
                busyTicks += stripe.BusyTicks;
                slow += stripe.Slow;
                unhandled += stripe.Unhandled;
                restarts += stripe.Restarts;
                overflow += stripe.Overflow;
                stripe.MailboxWait.AddTo(wait);
                stripe.Processing.AddTo(work);
            }
        }
        foreach (var actor in live)
        {
            for (var i = 0; i < wait.Length; i++)
            {
                wait[i] += actor.MailboxWait.Counts[i];
                work[i] += actor.Processing.Counts[i];
            }
        }
        return new ActorTypeSnapshot(
            Name,
            live.Count,
            processed + live.Sum(a => a.MessagesProcessed),
            System.Diagnostics.Stopwatch.GetElapsedTime(0, busyTicks) + live.Aggregate(TimeSpan.Zero, (sum, a) => sum + a.BusyTime),
            live.Sum(a => a.MailboxDepth),
            slow + live.Sum(a => a.SlowMessages),
            unhandled + live.Sum(a => a.Unhandled),
            restarts + live.Sum(a => a.Restarts),
            Interlocked.Read(ref deadLetters),
            overflow + live.Sum(a => a.MailboxOverflow),
            new HistogramSnapshot(wait),
            new HistogramSnapshot(work));
    }

    private static Stripe[] CreateStripes()
    {
        var stripes = new Stripe[StripeMask + 1];
        for (var i = 0; i < stripes.Length; i++) stripes[i] = new Stripe();
        return stripes;
    }

    /// <summary>One processor's share of the history; its own lock. The histograms (656 bytes) keep stripes on separate cache lines.</summary>
    private sealed class Stripe
    {
        public long Processed;
        public long BusyTicks;
        public long Slow;
        public long Unhandled;
        public long Restarts;
        public long Overflow;
        public Log2Histogram MailboxWait;
        public Log2Histogram Processing;
    }
}
