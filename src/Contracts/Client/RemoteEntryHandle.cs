namespace Aggregator.Contracts.Client;

/// <summary>
/// The owner's handle to an entry opened through an <see cref="AggregatorClient"/>: the same calls as the in-process
/// <c>EntryHandle</c>, each one message buffered for the service. <see cref="Dispose"/> closes, so
/// <c>using var entry = client.Open(…)</c> emits at the end of a scope. Use after close or discard is a counted no-op.
/// Safe from any thread; messages from one thread keep their order.
/// </summary>
public sealed class RemoteEntryHandle : IDisposable
{
    private readonly AggregatorClient client;
    private int released;

    internal RemoteEntryHandle(AggregatorClient client, string id, string operation)
    {
        this.client = client;
        Id = id;
        Operation = operation;
    }

    public string Id { get; }
    public string Operation { get; }

    /// <summary>Whether this handle already closed or discarded its entry.</summary>
    public bool IsReleased => Volatile.Read(ref released) != 0;

    /// <summary>Sets an owner-level field; the last write wins.</summary>
    public RemoteEntryHandle Set(string field, FieldValue value) => Send(new Set(Id, Name(field), value));

    /// <summary>Adds to a counter (a negative delta is rejected by the service and counted).</summary>
    public RemoteEntryHandle Add(string counter, long delta = 1) => Send(new Add(Id, Name(counter), delta));

    /// <summary>Records one observation of a distribution; a non-finite value cannot travel and is counted as unwritable.</summary>
    public RemoteEntryHandle Observe(string distribution, double value, FieldUnit unit = FieldUnit.None)
    {
        var name = Name(distribution);
        if (double.IsFinite(value) || IsReleased) return Send(new Observe(Id, name, value, unit));
        client.CountUnwritable();
        return this;
    }

    /// <summary>Starts (or resumes) a stopwatch field, timed from now on this machine's clock (so time in the buffer and on the network is not counted).</summary>
    public RemoteEntryHandle StartTimer(string timer) => Send(new StartTimer(Id, Name(timer), DateTimeOffset.UtcNow));

    /// <summary>Stops a stopwatch field at now on this machine's clock.</summary>
    public RemoteEntryHandle StopTimer(string timer) => Send(new StopTimer(Id, Name(timer), DateTimeOffset.UtcNow));

    /// <summary>Opens a slot; a <see cref="SlotMode.Wait"/> slot holds the entry open until it completes or fails.</summary>
    public RemoteSlotHandle OpenSlot(string slot, SlotMode mode = SlotMode.Wait)
    {
        Send(new OpenSlot(Id, Name(slot), mode));
        return new RemoteSlotHandle(client, Id, slot, alreadyReleased: IsReleased);
    }

    /// <summary>A flush guard: the entry waits for it before closing as Completed.</summary>
    public RemoteGuardHandle AcquireGuard(string guard) => Guard(guard, force: false);

    /// <summary>A force-flush guard: releasing it closes the entry once the owner has released, whatever is outstanding.</summary>
    public RemoteGuardHandle AcquireForceGuard(string guard) => Guard(guard, force: true);

    /// <summary>The owner releases: the entry closes when the close rule allows.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref released, 1) == 0) client.Tell(new Close(Id));
        else client.CountUseAfterClose();
    }

    /// <summary>Drops the entry: nothing is emitted.</summary>
    public void Discard()
    {
        if (Interlocked.Exchange(ref released, 1) == 0) client.Tell(new Discard(Id));
        else client.CountUseAfterClose();
    }

    /// <summary>Closes, unless already closed or discarded (then nothing happens and nothing is counted).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref released, 1) == 0) client.Tell(new Close(Id));
    }

    public override string ToString() => $"entry {Id} ({Operation})";

    private RemoteGuardHandle Guard(string guard, bool force)
    {
        Send(new AcquireGuard(Id, Name(guard), force));
        return new RemoteGuardHandle(client, Id, guard, alreadyReleased: IsReleased);
    }

    private RemoteEntryHandle Send(IEntryMessage message)
    {
        if (IsReleased) client.CountUseAfterClose();
        else client.Tell(message);
        return this;
    }

    internal static string Name(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return name;
    }
}
