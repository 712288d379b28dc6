using Aggregator.Actors.Kernel;
using Aggregator.Contracts;

namespace Aggregator.Actors.Entries;

/// <summary>
/// The owner's handle to an open entry (metrique's <c>AppendAndCloseOnDrop</c> guard). Every call is one Tell,
/// straight to the entry actor once it exists: cheap, never blocking, safe from any thread. <see cref="Dispose"/> closes, so <c>using var entry = ...</c>
/// emits at the end of a scope. Using the handle after its owner closed or discarded it is a counted no-op
/// (<see cref="OperationStatsSnapshot.UseAfterClose"/>), never an exception.
/// </summary>
public sealed class EntryHandle : IDisposable
{
    private readonly ICanTell region;
    private readonly OperationStats stats;
    private readonly TimeProvider clock;
    private readonly int maxRetainedObservations;
    private int released;

    internal EntryHandle(ICanTell region, string id, string operation, OperationStats stats, TimeProvider clock, int maxRetainedObservations)
    {
        this.maxRetainedObservations = maxRetainedObservations;
        this.region = region;
        Id = id;
        Operation = operation;
        this.stats = stats;
        this.clock = clock;
    }

    public string Id { get; }
    public string Operation { get; }

    /// <summary>Whether this handle already closed or discarded its entry (the entry may also close for other reasons).</summary>
    public bool IsReleased => Volatile.Read(ref released) != 0;

    /// <summary>Sets an owner-level field; the last write wins.</summary>
    public EntryHandle Set(string field, FieldValue value) => Send(new Set(Id, Name(field), value));

    /// <summary>Adds to a counter; safe from many threads at once (each add is its own message).</summary>
    public EntryHandle Add(string counter, long delta = 1) => Send(new Add(Id, Name(counter), delta));

    /// <summary>Records one observation of a distribution (summarised at close).</summary>
    public EntryHandle Observe(string distribution, double value, FieldUnit unit = FieldUnit.None) => Send(new Observe(Id, Name(distribution), value, unit));

    /// <summary>Starts (or resumes) a stopwatch field, timed from now on the producer's clock.</summary>
    public EntryHandle StartTimer(string timer) => Send(new StartTimer(Id, Name(timer), clock.GetUtcNow()));

    /// <summary>Stops a stopwatch field; one still running at close is stopped then.</summary>
    public EntryHandle StopTimer(string timer) => Send(new StopTimer(Id, Name(timer), clock.GetUtcNow()));

    /// <summary>
    /// Opens a slot: a child actor of the entry owns the sub-record the returned handle writes to. A
    /// <see cref="SlotMode.Wait"/> slot holds the entry open until it completes (or its child crashes).
    /// </summary>
    public SlotHandle OpenSlot(string slot, SlotMode mode = SlotMode.Wait)
    {
        var slotTarget = new HandleTarget(stats);
        Send(new OpenSlotLocal(new OpenSlot(Id, Name(slot), mode), slotTarget));
        return new SlotHandle(slotTarget, Id, slot, stats, maxRetainedObservations, alreadyReleased: IsReleased);
    }

    /// <summary>A flush guard: the entry waits for it (and every other) before closing as Completed.</summary>
    public GuardHandle AcquireGuard(string guard) => Guard(guard, force: false);

    /// <summary>A force-flush guard: releasing it closes the entry as soon as the owner has released, whatever is still outstanding.</summary>
    public GuardHandle AcquireForceGuard(string guard) => Guard(guard, force: true);

    /// <summary>The owner releases: the entry closes when the close rule allows.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref released, 1) == 0) region.Tell(new Close(Id));
        else OperationStats.Count(ref stats.useAfterClose);
    }

    /// <summary>Drops the entry: nothing is emitted.</summary>
    public void Discard()
    {
        if (Interlocked.Exchange(ref released, 1) == 0) region.Tell(new Discard(Id));
        else OperationStats.Count(ref stats.useAfterClose);
    }

    /// <summary>Closes, unless already closed or discarded (then nothing happens and nothing is counted).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref released, 1) == 0) region.Tell(new Close(Id));
    }

    public override string ToString() => $"entry {Id} ({Operation})";

    private GuardHandle Guard(string guard, bool force)
    {
        Send(new AcquireGuard(Id, Name(guard), force));
        return new GuardHandle(region, Id, guard, stats, alreadyReleased: IsReleased);
    }

    private EntryHandle Send(object message)
    {
        if (IsReleased) OperationStats.Count(ref stats.useAfterClose);
        else region.Tell(message);
        return this;
    }

    internal static string Name(string name, string what = "name")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, what);
        return name;
    }
}
