using Aggregator.Actors.Kernel;
using Aggregator.Contracts;

namespace Aggregator.Actors.Entries;

/// <summary>An entry's slots: each slot's child actor, mode and state, and how many Wait slots still hold the entry open.</summary>
internal sealed class EntrySlots
{
    private Dictionary<string, Slot>? byName;
    private Dictionary<IActorRef, Slot>? byRef;

    public enum SlotStatus { Open, Completed, Failed }

    public sealed class Slot(string name, IActorRef child, SlotMode mode, HandleTarget? target)
    {
        public string Name { get; } = name;
        public IActorRef Child { get; } = child;
        public SlotMode Mode { get; } = mode;
        /// <summary>The in-process slot handle's target, bound to the child, if a handle opened the slot.</summary>
        public HandleTarget? Target { get; } = target;
        public SlotStatus Status { get; set; }
    }

    /// <summary>Wait slots neither completed nor failed: each is a flush guard.</summary>
    public int WaitOutstanding { get; private set; }

    public bool Contains(string name) => byName?.ContainsKey(name) == true;

    public Slot? Find(string name) => byName is not null && byName.TryGetValue(name, out var slot) ? slot : null;

    public Slot? Find(IActorRef child) => byRef is not null && byRef.TryGetValue(child, out var slot) ? slot : null;

    public void Add(string name, IActorRef child, SlotMode mode, HandleTarget? target)
    {
        var slot = new Slot(name, child, mode, target);
        (byName ??= new(StringComparer.Ordinal))[name] = slot;
        (byRef ??= [])[child] = slot;
        if (mode == SlotMode.Wait) WaitOutstanding++;
    }

    /// <summary>Every slot, in the order it was opened.</summary>
    public IEnumerable<Slot> All => byName?.Values ?? Enumerable.Empty<Slot>();

    /// <summary>
    /// A slot from a checkpoint, with the status it had. A failed slot has no child (<paramref name="child"/> is then a
    /// placeholder, never watched); only an open slot holds its Wait guard.
    /// </summary>
    public Slot AddRestored(string name, IActorRef child, SlotMode mode, SlotStatus status, bool hasChild)
    {
        var slot = new Slot(name, child, mode, null) { Status = status };
        (byName ??= new(StringComparer.Ordinal))[name] = slot;
        if (hasChild) (byRef ??= [])[child] = slot;
        if (mode == SlotMode.Wait && status == SlotStatus.Open) WaitOutstanding++;
        return slot;
    }

    /// <summary>Marks an open slot completed or failed, releasing its Wait guard.</summary>
    public void Finish(Slot slot, SlotStatus status)
    {
        if (slot.Status != SlotStatus.Open) return;
        slot.Status = status;
        if (slot.Mode == SlotMode.Wait) WaitOutstanding--;
    }

    /// <summary>The entry ended: slot handles' later messages are late, counted without being sent.</summary>
    public void EndTargets()
    {
        if (byName is null) return;
        foreach (var slot in byName.Values) slot.Target?.End();
    }

    /// <summary>Slots still open as <c>slot:name</c>, for the pending list; returns how many.</summary>
    public int AppendPending(List<string> pending)
    {
        if (byName is null) return 0;
        var open = 0;
        foreach (var slot in byName.Values)
            if (slot.Status == SlotStatus.Open)
            {
                pending.Add("slot:" + slot.Name);
                open++;
            }
        return open;
    }
}
