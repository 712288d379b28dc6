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
    private readonly ConcurrentDictionary<Type, ActorTypeTotals> totals = new();
    private readonly StripedCounter liveCount = new();
    private readonly List<ActorCell> roots = [];
    private readonly ActorSystem system;
    private readonly long startedAt = Stopwatch.GetTimestamp();

    internal KernelInstrumentation(ActorSystem system, TimeSpan slowMessageThreshold)
    {
        this.system = system;
        SlowMessageMillis = (long)Math.Ceiling(slowMessageThreshold.TotalMilliseconds);
    }

    /// <summary>Compared with the coarse tick count (4 ms resolution on Linux), hence whole milliseconds.</summary>
    internal long SlowMessageMillis { get; }

    /// <summary>Actors started and not yet stopped: a sum of per-processor counts, so cheap to read.</summary>
    public int LiveActors => (int)liveCount.Sum;

    internal ActorTypeTotals TotalsFor(Type actorType) => totals.GetOrAdd(actorType, static t => new ActorTypeTotals(t));

    /// <summary>
    /// A cell starts counting as live. There is no registry to add it to: every live cell is reachable from the
    /// guardians through its parent's children (a child is linked before it starts and unlinked only after it
    /// stopped), which is where <see cref="Snapshot()"/> finds it. So creating and stopping an actor costs one
    /// uncontended increment here instead of a dictionary insert and removal.
    /// </summary>
    internal void Register(ActorCell cell)
    {
        if (!cell.MarkRegistered()) return; // it stopped before it was started (a parent stopping while ActorOf ran)
        liveCount.Add(1);
        if (cell.ParentRef is not LocalActorRef)
            lock (roots) roots.Add(cell);
    }

    /// <summary>The cell stopped: it no longer counts, and its counters are folded into its type's history (once).</summary>
    internal void Unregister(ActorCell cell)
    {
        var wasRegistered = cell.MarkUnregistered();
        if (wasRegistered is null) return;
        if (wasRegistered.Value) liveCount.Add(-1);
        cell.TypeTotals.Fold(cell.Stats);
    }

    /// <summary>Counters of every live actor and every actor type at this moment.</summary>
    public KernelSnapshot Snapshot()
    {
        var now = Stopwatch.GetTimestamp();
        var actors = new List<ActorSnapshot>();
        foreach (var cell in LiveCells()) actors.Add(Read(cell, now));
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
        actor is LocalActorRef { Cell: { IsRegistered: true } cell } ? Read(cell, Stopwatch.GetTimestamp()) : null;

    /// <summary>Walks the hierarchy from the guardians, depth first, taking each parent's children under its lock.</summary>
    private List<ActorCell> LiveCells()
    {
        var pending = new Stack<ActorCell>();
        lock (roots)
            foreach (var root in roots) pending.Push(root);
        var live = new List<ActorCell>();
        var children = new List<ActorCell>();
        while (pending.TryPop(out var cell))
        {
            if (cell.IsRegistered) live.Add(cell);
            children.Clear();
            cell.CopyChildrenTo(children);
            for (var i = children.Count - 1; i >= 0; i--) pending.Push(children[i]);
        }
        return live;
    }

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
