using Aggregator.Actors.Entries;
using Aggregator.Contracts;
using Aggregator.Contracts.Client;

namespace Aggregator.Benchmarks.Load;

/// <summary>
/// What one load entry does, the same through the client and in-process: open, two sets, an add, an observe, a Wait
/// slot with a set and an observe, complete, close: <see cref="MessagesPerEntry"/> messages. Names and values are
/// preallocated so the generator allocates only what the APIs do.
/// </summary>
internal static class LoadWorkload
{
    public const string Operation = "Load";
    public const int MessagesPerEntry = 10;

    private static readonly Dictionary<string, string> Dimensions = new() { ["region"] = "eu" };
    private static readonly FieldValue Status = FieldValue.Of("ok");
    private static readonly FieldValue Size = FieldValue.Of(4096, FieldUnit.Bytes);
    private static readonly FieldValue Rows = FieldValue.Of(3);

    /// <summary>All but the close, so the caller can stamp the close time just before it.</summary>
    public static RemoteEntryHandle Fill(AggregatorClient client, long n)
    {
        var entry = client.Open(Operation, Dimensions);
        entry.Set("status", Status).Set("size", Size).Add("retries", n & 1).Observe("latency", n % 100, FieldUnit.Milliseconds);
        var slot = entry.OpenSlot("db");
        slot.Set("rows", Rows).Observe("wait", 250, FieldUnit.Microseconds);
        slot.Complete();
        return entry;
    }

    public static EntryHandle Fill(EntryRegion region, long n)
    {
        var entry = region.Open(Operation, Dimensions);
        entry.Set("status", Status).Set("size", Size).Add("retries", n & 1).Observe("latency", n % 100, FieldUnit.Milliseconds);
        var slot = entry.OpenSlot("db");
        slot.Set("rows", Rows).Observe("wait", 250, FieldUnit.Microseconds);
        slot.Complete();
        return entry;
    }

    /// <summary>The same entry as wire messages, for measuring serialization and parsing alone.</summary>
    public static IEnumerable<IEntryMessage> Messages(string id, long n)
    {
        yield return new Open(id, Operation, Dimensions);
        yield return new Set(id, "status", Status);
        yield return new Set(id, "size", Size);
        yield return new Add(id, "retries", n & 1);
        yield return new Observe(id, "latency", n % 100, FieldUnit.Milliseconds);
        yield return new OpenSlot(id, "db");
        yield return new SlotSet(id, "db", "rows", Rows);
        yield return new SlotObserve(id, "db", "wait", 250, FieldUnit.Microseconds);
        yield return new CompleteSlot(id, "db");
        yield return new Close(id);
    }
}
