using System.Collections.Concurrent;
using System.Diagnostics;
using Aggregator.Actors.Kernel.Dispatch;

namespace Aggregator.Actors.Kernel.Instrumentation;

/// <summary>
/// Reads the kernel's counters: live actors, per-actor and per-type snapshots, thread-pool gauges. Counting
/// happens on the hot path in <see cref="ActorStats"/>; everything here runs only when someone asks.
/// </summary>
public sealed class KernelInstrumentation
{
    private readonly ConcurrentDictionary<long, ActorCell> live = new();
    private readonly ConcurrentDictionary<Type, ActorTypeTotals> totals = new();
    private readonly ActorSystem system;
    private readonly long startedAt = Stopwatch.GetTimestamp();

    internal KernelInstrumentation(ActorSystem system, TimeSpan slowMessageThreshold)
    {
        this.system = system;
        SlowMessageMillis = (long)Math.Ceiling(slowMessageThreshold.TotalMilliseconds);
    }

    /// <summary>Compared with the coarse tick count (4 ms resolution on Linux), hence whole milliseconds.</summary>
    internal long SlowMessageMillis { get; }

    public int LiveActors => live.Count;

    internal ActorTypeTotals TotalsFor(Type actorType) => totals.GetOrAdd(actorType, static t => new ActorTypeTotals(t));

    internal void Register(ActorCell cell) => live[cell.SelfRef.Uid] = cell;

    internal void Unregister(ActorCell cell)
    {
        if (live.TryRemove(cell.SelfRef.Uid, out _)) cell.TypeTotals.Fold(cell.Stats);
    }

    /// <summary>Counters of every live actor and every actor type at this moment.</summary>
    public KernelSnapshot Snapshot()
    {
        var now = Stopwatch.GetTimestamp();
        var actors = live.Values.Select(cell => Read(cell, now)).ToList();
        var byType = actors.GroupBy(a => a.ActorType).ToDictionary(g => g.Key, g => (IReadOnlyList<ActorSnapshot>)g.ToList());
        var types = totals.Values
            .Select(t => t.Snapshot(byType.TryGetValue(t.Name, out var liveOfType) ? liveOfType : []))
            .OrderBy(t => t.ActorType, StringComparer.Ordinal)
            .ToList();
        return new KernelSnapshot(
            system.TimeProvider.GetUtcNow(),
            Stopwatch.GetElapsedTime(startedAt, now),
            actors.Count,
            system.DeadLetterOffice.Count,
            system.UnhandledCount,
            ThreadPool.PendingWorkItemCount,
            ThreadPool.ThreadCount,
            actors,
            types);
    }

    /// <summary>Snapshot of one actor, or null if it is not alive.</summary>
    public ActorSnapshot? Snapshot(IActorRef actor) =>
        actor is LocalActorRef local && live.TryGetValue(local.Uid, out var cell) ? Read(cell, Stopwatch.GetTimestamp()) : null;

    private static ActorSnapshot Read(ActorCell cell, long now)
    {
        var stats = cell.Stats;
        var (busy, started) = stats.ReadBusy(now);
        return new ActorSnapshot(
            cell.SelfRef.Path.ToString(),
            cell.TypeTotals.Name,
            Volatile.Read(ref stats.Processed),
            busy,
            started != 0 && now > started ? Stopwatch.GetElapsedTime(started, now) : null,
            cell.Mailbox.Depth,
            Math.Max(Volatile.Read(ref stats.PeakMailboxDepth), cell.Mailbox.Depth),
            Volatile.Read(ref stats.SlowMessages),
            Volatile.Read(ref stats.Unhandled),
            Volatile.Read(ref stats.Restarts),
            Interlocked.Read(ref stats.MailboxOverflow),
            stats.MailboxWait.Snapshot(),
            stats.Processing.Snapshot());
    }
}
