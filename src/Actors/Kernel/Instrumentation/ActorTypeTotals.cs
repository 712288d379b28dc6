namespace Aggregator.Actors.Kernel.Instrumentation;

/// <summary>
/// History of one actor type: the counters of its stopped actors (folded in at stop, so totals never go
/// backwards) plus dead letters, which arrive after an actor is gone.
/// </summary>
internal sealed class ActorTypeTotals(Type actorType)
{
    private readonly object gate = new();
    private long processed;
    private long busyTicks;
    private long slow;
    private long unhandled;
    private long restarts;
    private long overflow;
    private long deadLetters;
    private Log2Histogram mailboxWait;
    private Log2Histogram processing;

    public Type ActorType { get; } = actorType;
    public string Name { get; } = actorType.Name;

    public void CountDeadLetter() => Interlocked.Increment(ref deadLetters);

    public void Fold(ActorStats stats)
    {
        lock (gate)
        {
            processed += Volatile.Read(ref stats.Processed);
            busyTicks += stats.FinishedBusyTicks;
            slow += Volatile.Read(ref stats.SlowMessages);
            unhandled += Volatile.Read(ref stats.Unhandled);
            restarts += Volatile.Read(ref stats.Restarts);
            overflow += Volatile.Read(ref stats.MailboxOverflow);
            mailboxWait.Add(stats.MailboxWait.Snapshot());
            processing.Add(stats.Processing.Snapshot());
        }
    }

    /// <summary>This type's history plus its live actors' current counters.</summary>
    public ActorTypeSnapshot Snapshot(IReadOnlyList<ActorSnapshot> live)
    {
        lock (gate)
        {
            var wait = mailboxWait.Snapshot();
            var work = processing.Snapshot();
            foreach (var actor in live)
            {
                wait = wait.Plus(actor.MailboxWait);
                work = work.Plus(actor.Processing);
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
                wait,
                work);
        }
    }
}
