using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Entries;

/// <summary>
/// A second, deliberately plain statement of the entry contract: fed the same messages in the same order as the
/// region, it says which entries close, why, with what counters and pending work, and what gets counted as late,
/// orphan, duplicate or rejected. The property test compares the actors against it.
/// </summary>
internal sealed class EntryModel
{
    public sealed class Entry(string id)
    {
        public string Id { get; } = id;
        public string Operation => "op-" + Id;
        public bool Opened, Ended, Discarded, OwnerReleased, ForceReleased;
        public CloseReason? Reason;
        public List<string> Pending = [];
        public readonly List<string> FailedSlots = [];
        public readonly Dictionary<string, long> Counters = [];
        public readonly Dictionary<string, (bool Force, int Count)> Guards = [];
        public readonly Dictionary<string, Slot> Slots = [];
        public long Late, Orphans, Rejected, DuplicateOpens, DroppedSlots;
    }

    public sealed class Slot(SlotMode mode)
    {
        public SlotMode Mode { get; } = mode;
        public bool IsOpen = true;
        public long? Sum;
    }

    public Dictionary<string, Entry> Entries { get; } = [];
    public long UnknownOrphans { get; private set; }
    public int ClosedCount { get; private set; }

    public Entry For(string id) => Entries.TryGetValue(id, out var entry) ? entry : Entries[id] = new Entry(id);

    /// <summary>Applies one message; returns true when it closed (or discarded) the entry.</summary>
    public bool Apply(IEntryMessage message)
    {
        var e = For(message.EntryId);
        if (!e.Opened)
        {
            if (message is Open) e.Opened = true;
            else UnknownOrphans++;
            return false;
        }
        if (e.Ended)
        {
            if (message is Open) e.DuplicateOpens++;
            else e.Late++;
            return false;
        }
        switch (message)
        {
            case Open: e.DuplicateOpens++; break;
            case Add add: e.Counters[add.Counter] = e.Counters.GetValueOrDefault(add.Counter) + add.Delta; break;
            case OpenSlot open:
                if (e.Slots.ContainsKey(open.Slot)) e.Rejected++;
                else e.Slots[open.Slot] = new Slot(open.Mode);
                break;
            case ISlotMessage slotMessage:
                if (!e.Slots.TryGetValue(slotMessage.Slot, out var slot)) e.Orphans++;
                else if (!slot.IsOpen) e.Late++;
                else
                {
                    switch (slotMessage)
                    {
                        case SlotAdd add: slot.Sum = (slot.Sum ?? 0) + add.Delta; break;
                        case CompleteSlot:
                            slot.IsOpen = false;
                            if (slot.Sum is { } sum) e.Counters[slotMessage.Slot + ".n"] = e.Counters.GetValueOrDefault(slotMessage.Slot + ".n") + sum;
                            return TryClose(e);
                        case FailSlot:
                            slot.IsOpen = false;
                            e.FailedSlots.Add(slotMessage.Slot);
                            return TryClose(e);
                    }
                }
                break;
            case AcquireGuard acquire:
                if (e.Guards.TryGetValue(acquire.Guard, out var held) && held.Force != acquire.Force) e.Rejected++;
                else e.Guards[acquire.Guard] = (acquire.Force, held.Count + 1);
                break;
            case ReleaseGuard release:
                if (!e.Guards.TryGetValue(release.Guard, out var holding)) e.Rejected++;
                else
                {
                    if (holding.Count == 1) e.Guards.Remove(release.Guard);
                    else e.Guards[release.Guard] = (holding.Force, holding.Count - 1);
                    if (holding.Force) e.ForceReleased = true;
                    return TryClose(e);
                }
                break;
            case Close:
                if (e.OwnerReleased) e.Rejected++;
                else
                {
                    e.OwnerReleased = true;
                    return TryClose(e);
                }
                break;
            case Discard:
                e.Ended = e.Discarded = true;
                return true;
        }
        return false;
    }

    /// <summary>Shutdown: every entry still open closes with reason Shutdown.</summary>
    public void Shutdown()
    {
        foreach (var e in Entries.Values)
            if (e.Opened && !e.Ended) End(e, CloseReason.Shutdown);
    }

    private bool TryClose(Entry e)
    {
        if (!e.OwnerReleased) return false;
        var flushHeld = e.Guards.Values.Any(g => !g.Force);
        var waitOpen = e.Slots.Values.Any(s => s.IsOpen && s.Mode == SlotMode.Wait);
        if (!flushHeld && !waitOpen) End(e, CloseReason.Completed);
        else if (e.ForceReleased) End(e, CloseReason.ForceFlushed);
        else return false;
        return true;
    }

    private void End(Entry e, CloseReason reason)
    {
        e.Ended = true;
        e.Reason = reason;
        ClosedCount++;
        foreach (var (name, guard) in e.Guards)
            for (var i = 0; i < guard.Count; i++) e.Pending.Add((guard.Force ? "force:" : "guard:") + name);
        foreach (var (name, slot) in e.Slots)
            if (slot.IsOpen)
            {
                e.Pending.Add("slot:" + name);
                e.DroppedSlots++;
            }
    }
}
