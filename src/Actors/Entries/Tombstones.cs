namespace Aggregator.Actors.Entries;

/// <summary>
/// Ids a shard has seen end, remembered for a while with their operation, so a late message is told apart from an
/// orphan and a redelivered Open never resurrects a closed entry. Bounded by age and by count (oldest first).
/// </summary>
internal sealed class Tombstones(TimeProvider clock, TimeSpan ttl, int capacity)
{
    private readonly Dictionary<string, Tombstone> byId = new(StringComparer.Ordinal);
    private readonly Queue<(string Id, long ExpiresAt)> byAge = new();

    private readonly record struct Tombstone(string Operation, long ExpiresAt);

    public int Count => byId.Count;

    /// <summary>Remembers an ended id; returns how many older ids had to be forgotten early to stay within capacity.</summary>
    public int Add(string id, string operation)
    {
        if (capacity == 0 || ttl == TimeSpan.Zero) return 0;
        var now = clock.GetUtcNow().UtcTicks;
        var expiresAt = now + ttl.Ticks;
        byId[id] = new Tombstone(operation, expiresAt);
        byAge.Enqueue((id, expiresAt));
        var evicted = 0;
        while (byAge.TryPeek(out var oldest) && (oldest.ExpiresAt <= now || byId.Count > capacity))
        {
            byAge.Dequeue();
            // Only forget the id if this queue item is its latest tombstone.
            if (byId.TryGetValue(oldest.Id, out var stone) && stone.ExpiresAt == oldest.ExpiresAt)
            {
                byId.Remove(oldest.Id);
                if (oldest.ExpiresAt > now) evicted++;
            }
        }
        return evicted;
    }

    /// <summary>The operation of an id that ended within the TTL.</summary>
    public bool TryGet(string id, out string operation)
    {
        if (byId.TryGetValue(id, out var stone) && stone.ExpiresAt > clock.GetUtcNow().UtcTicks)
        {
            operation = stone.Operation;
            return true;
        }
        operation = "";
        return false;
    }
}
