using Aggregator.Actors.Kernel;

namespace Aggregator.Actors.Entries;

/// <summary>
/// The named flush and force-flush guards an entry's contributors hold, counted per name, and which actor holds
/// which (so a holder that stops can be released for it). Single-threaded: only the entry actor touches it.
/// </summary>
internal sealed class FlushGuards
{
    private Dictionary<string, Holding>? guards;
    private Dictionary<IActorRef, List<string>>? byHolder;
    private int flushOutstanding;

    private sealed class Holding(bool force)
    {
        public bool Force { get; } = force;
        public int Count;
    }

    /// <summary>Whether any (non-force) flush guard is still held: the entry may not close as Completed.</summary>
    public bool FlushOutstanding => flushOutstanding > 0;

    /// <summary>Takes one holding of <paramref name="name"/>; false if the name is already used by a guard of the other kind.</summary>
    public bool Acquire(string name, bool force, IActorRef? holder)
    {
        guards ??= new(StringComparer.Ordinal);
        if (guards.TryGetValue(name, out var holding))
        {
            if (holding.Force != force) return false;
        }
        else guards[name] = holding = new Holding(force);
        holding.Count++;
        if (!force) flushOutstanding++;
        if (holder is not null)
        {
            byHolder ??= [];
            if (!byHolder.TryGetValue(holder, out var names)) byHolder[holder] = names = [];
            names.Add(name);
        }
        return true;
    }

    /// <summary>
    /// Releases one holding of <paramref name="name"/>, attributed to <paramref name="releaser"/> when it holds one,
    /// otherwise to any holder. Null when nothing by that name is held; otherwise whether it was a force guard.
    /// </summary>
    public bool? Release(string name, IActorRef? releaser)
    {
        if (guards is null || !guards.TryGetValue(name, out var holding)) return null;
        if (!ForgetHolder(name, releaser) && byHolder is not null)
        {
            // Released by someone else (say, the owner on a worker's behalf): stop attributing one holding to its holder,
            // so the holder stopping later does not release it twice. Only when every holding is attributed.
            var attributed = byHolder.Values.Sum(names => names.Count(n => n == name));
            if (attributed >= holding.Count)
                foreach (var holder in byHolder.Keys.ToList())
                    if (ForgetHolder(name, holder)) break;
        }
        ReleaseOne(name, holding);
        return holding.Force;
    }

    /// <summary>A holder stopped: releases everything it still held. Returns whether any of it was a force guard, or null if it held nothing.</summary>
    public bool? ReleaseHeldBy(IActorRef holder)
    {
        if (byHolder is null || !byHolder.Remove(holder, out var names)) return null;
        var anyForce = false;
        foreach (var name in names)
            if (guards!.TryGetValue(name, out var holding))
            {
                anyForce |= holding.Force;
                ReleaseOne(name, holding);
            }
        return anyForce;
    }

    /// <summary>Whether <paramref name="actor"/> holds any guard (it is then watched).</summary>
    public bool IsHolder(IActorRef actor) => byHolder?.ContainsKey(actor) == true;

    /// <summary>Outstanding holdings as <c>guard:name</c> / <c>force:name</c>, one line per holding, for the closed entry's pending list.</summary>
    public void AppendPending(List<string> pending)
    {
        if (guards is null) return;
        foreach (var (name, holding) in guards)
            for (var i = 0; i < holding.Count; i++) pending.Add((holding.Force ? "force:" : "guard:") + name);
    }

    /// <summary>Every outstanding holding by name, for a checkpoint. Holders are not kept: an actor reference does not survive a move.</summary>
    public List<GuardSnapshot> Capture() =>
        guards is null ? [] : guards.Select(g => new GuardSnapshot(g.Key, g.Value.Count, g.Value.Force)).ToList();

    /// <summary>Takes the checkpointed holdings again, held by nobody in particular (released by <see cref="Aggregator.Contracts.ReleaseGuard"/> messages).</summary>
    public void Restore(IEnumerable<GuardSnapshot> snapshots)
    {
        foreach (var guard in snapshots)
            for (var i = 0; i < guard.Count; i++) Acquire(guard.Name, guard.Force, null);
    }

    private void ReleaseOne(string name, Holding holding)
    {
        holding.Count--;
        if (!holding.Force) flushOutstanding--;
        if (holding.Count == 0) guards!.Remove(name);
    }

    private bool ForgetHolder(string name, IActorRef? holder)
    {
        if (holder is null || byHolder is null || !byHolder.TryGetValue(holder, out var names) || !names.Remove(name)) return false;
        if (names.Count == 0) byHolder.Remove(holder);
        return true;
    }
}
