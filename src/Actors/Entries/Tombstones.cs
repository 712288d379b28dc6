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
        return Trim(now);
    }

    /// <summary>Forgets expired ids and, over capacity, the oldest; returns how many were forgotten before their time.</summary>
    private int Trim(long now)
    {
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

    /// <summary>The ids still remembered that <paramref name="belongs"/> selects, with when they ended, for a checkpoint.</summary>
    public List<TombstoneSnapshot> Capture(Func<string, bool> belongs)
    {
        var now = clock.GetUtcNow().UtcTicks;
        var result = new List<TombstoneSnapshot>();
        foreach (var (id, stone) in byId)
            if (stone.ExpiresAt > now && belongs(id))
                result.Add(new TombstoneSnapshot(id, stone.Operation, new DateTimeOffset(stone.ExpiresAt - ttl.Ticks, TimeSpan.Zero)));
        return result;
    }

    /// <summary>
    /// Remembers an id another process saw end, until its own TTL from <see cref="TombstoneSnapshot.EndedAt"/> runs
    /// out. False when it is already expired here (nothing to remember). Returns how many ids were evicted in <paramref name="evicted"/>.
    /// </summary>
    public bool Restore(TombstoneSnapshot tombstone, out int evicted)
    {
        evicted = 0;
        if (capacity == 0 || ttl == TimeSpan.Zero) return false;
        var expiresAt = tombstone.EndedAt.UtcTicks + ttl.Ticks;
        if (expiresAt <= clock.GetUtcNow().UtcTicks) return false;
        byId[tombstone.Id] = new Tombstone(tombstone.Operation, expiresAt);
        byAge.Enqueue((tombstone.Id, expiresAt));
        evicted = Trim(clock.GetUtcNow().UtcTicks);
        return true;
    }

    /// <summary>Forgets the ids <paramref name="belongs"/> selects (another process owns them now); their queue items lapse on their own.</summary>
    public void Forget(Func<string, bool> belongs)
    {
        foreach (var id in byId.Keys.Where(belongs).ToList()) byId.Remove(id);
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
