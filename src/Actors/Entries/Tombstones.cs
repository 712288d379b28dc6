using Aggregator.Actors.Sharding;
using Aggregator.Contracts;

namespace Aggregator.Actors.Entries;

/// <summary>
/// Ids a shard has seen end, remembered for a while with their operation, so a late message is told apart from an
/// orphan and a redelivered Open never resurrects a closed entry. Bounded by age and by count (oldest first).
/// </summary>
/// <remarks>
/// A checkpoint carries only the ids that ended within <c>checkpointWindow</c>, kept in their own queue so capturing
/// them costs the window, not the whole TTL: at thousands of closes a second, five minutes of ids is millions, and
/// writing all of them into every checkpoint (every few seconds, per shard) was the largest part of the cluster
/// path's cost. Older ids are not needed to keep the count exact (the journal refuses a second close of the same id);
/// a new holder only classifies a message for an entry that ended longer ago as an orphan rather than late.
/// </remarks>
internal sealed class Tombstones(TimeProvider clock, TimeSpan ttl, int capacity, TimeSpan checkpointWindow)
{
    private readonly Dictionary<string, Tombstone> byId = new(StringComparer.Ordinal);
    private readonly Queue<(string Id, long ExpiresAt)> byAge = new();
    private readonly Queue<(string Id, long ExpiresAt, uint Hash)> recent = new();

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
        RememberRecent(id, expiresAt, now);
        return Trim(now);
    }

    /// <summary>Queues an id for checkpoints if it ended within the window.</summary>
    private void RememberRecent(string id, long expiresAt, long now)
    {
        if (checkpointWindow > TimeSpan.Zero && expiresAt >= RecentSince(now)) recent.Enqueue((id, expiresAt, StableHash.Of(id)));
        TrimRecent(now);
    }

    /// <summary>Drops the queued ids that left the window (oldest first; a restored id may sit behind a newer one a while).</summary>
    private void TrimRecent(long now)
    {
        var since = RecentSince(now);
        while (recent.TryPeek(out var oldest) && oldest.ExpiresAt < since) recent.Dequeue();
    }

    /// <summary>The expiry of an id that ended exactly one window ago.</summary>
    private long RecentSince(long now) => now - checkpointWindow.Ticks + ttl.Ticks;

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

    /// <summary>
    /// The ids that ended within the checkpoint window and are still remembered, of <paramref name="slice"/> when given
    /// (tested against the hash kept at the end, so most ids cost a modulo) and that <paramref name="belongs"/> selects,
    /// except <paramref name="except"/>, with when they ended, for a checkpoint.
    /// </summary>
    public List<TombstoneSnapshot> Capture(ShardSlice? slice, Func<string, bool> belongs, IReadOnlySet<string> except)
    {
        var now = clock.GetUtcNow().UtcTicks;
        TrimRecent(now);
        var since = RecentSince(now);
        var result = new List<TombstoneSnapshot>();
        foreach (var (id, expiresAt, hash) in recent)
        {
            if (expiresAt <= now || expiresAt < since || slice is { } s && !s.ContainsHash(hash)) continue;
            // Skips an id forgotten since (capacity, Forget) or queued twice (ended again): its latest item counts.
            if (!byId.TryGetValue(id, out var stone) || stone.ExpiresAt != expiresAt || except.Contains(id) || !belongs(id)) continue;
            result.Add(new TombstoneSnapshot(id, stone.Operation, new DateTimeOffset(expiresAt - ttl.Ticks, TimeSpan.Zero)));
        }
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
        var now = clock.GetUtcNow().UtcTicks;
        byId[tombstone.Id] = new Tombstone(tombstone.Operation, expiresAt);
        byAge.Enqueue((tombstone.Id, expiresAt));
        RememberRecent(tombstone.Id, expiresAt, now);
        evicted = Trim(now);
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
