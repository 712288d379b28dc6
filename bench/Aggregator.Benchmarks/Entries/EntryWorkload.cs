using Aggregator.Actors.Entries;
using Aggregator.Benchmarks.Baselines;
using Aggregator.Contracts;

namespace Aggregator.Benchmarks.Entries;

/// <summary>
/// What one entry does. W1: open, four Wait slots each with two Sets and a Complete, two Adds on the entry, close.
/// The names and values are preallocated, so a round allocates only what the entry machinery itself allocates; the
/// kernel and the lock-based baseline run exactly the same steps in the same order.
/// </summary>
internal sealed record EntryWorkload(int Slots, int SetsPerSlot, int Adds)
{
    public const string Operation = "W1";
    public const int MaxSetsPerSlot = 2;

    public static readonly EntryWorkload W1 = new(Slots: 4, SetsPerSlot: 2, Adds: 2);

    private static readonly string[] SlotNames = [.. Enumerable.Range(0, 64).Select(i => $"s{i}")];
    private static readonly (string Field, FieldValue Value)[] Sets = [("a", FieldValue.Of(1)), ("b", FieldValue.Of("x"))];

    public const string Counter = "n";

    public string Describe() =>
        this == W1 ? "W1 (open, 4 Wait slots x 2 Set + Complete, 2 Add, close)" : $"open, {Slots} Wait slots x {SetsPerSlot} Set + Complete, {Adds} Add, close";

    /// <summary>Fields the closed entry must carry (slot.field), the counter's sum, and the reason: what the sinks verify.</summary>
    public int ExpectedFields => Slots * SetsPerSlot;

    public long ExpectedCounter
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < Adds; i++) sum += Delta(i);
            return sum;
        }
    }

    public bool Matches(ClosedEntry entry) =>
        entry.CloseReason == CloseReason.Completed
        && entry.Fields.Count == ExpectedFields
        && (Adds == 0 ? entry.Counters.Count == 0 : entry.Counters.TryGetValue(Counter, out var n) && n == ExpectedCounter);

    /// <summary>
    /// Builds one entry through the in-process actor API, all but the owner's release: the caller closes the returned
    /// handle (the latency run stamps the release time just before).
    /// </summary>
    public EntryHandle Fill(EntryRegion region, string? entryId = null)
    {
        var entry = region.Open(Operation, entryId: entryId);
        for (var s = 0; s < Slots; s++)
        {
            var slot = entry.OpenSlot(SlotNames[s]);
            for (var f = 0; f < SetsPerSlot; f++) slot.Set(Sets[f].Field, Sets[f].Value);
            slot.Complete();
        }
        for (var i = 0; i < Adds; i++) entry.Add(Counter, Delta(i));
        return entry;
    }

    /// <summary>The same steps on the lock-based baseline.</summary>
    public void Run(LockedEntrySource source)
    {
        var entry = source.Open(Operation);
        for (var s = 0; s < Slots; s++)
        {
            var slot = entry.OpenSlot(SlotNames[s]);
            for (var f = 0; f < SetsPerSlot; f++) slot.Set(Sets[f].Field, Sets[f].Value);
            slot.Complete();
        }
        for (var i = 0; i < Adds; i++) entry.Add(Counter, Delta(i));
        entry.Close();
    }

    private static long Delta(int i) => i % 2 + 1;
}
