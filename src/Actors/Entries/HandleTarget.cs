using Aggregator.Actors.Kernel;

namespace Aggregator.Actors.Entries;

/// <summary>
/// Where an in-process handle's messages go. Until its entry (or slot child) exists they wait here, in order; once
/// the shard (or the entry) has created it and <see cref="Bind"/>s it, they are told straight to that actor, so a
/// handle's messages skip the shard hop without ever overtaking one another. After the entry ended they are
/// counted as late without being sent. Remote producers do not have one: their messages always go through the region.
/// </summary>
internal sealed class HandleTarget(OperationStats stats) : ICanTell
{
    private const int Pending = 0, Bound = 1, Ended = 2;

    private readonly object gate = new();
    private IActorRef? target;
    private List<(object Message, IActorRef? Sender)>? waiting;
    private int state;

    public void Tell(object message, IActorRef? sender)
    {
        // Bound is final until Ended, and target is written before it: the common case takes no lock.
        if (Volatile.Read(ref state) == Bound)
        {
            Volatile.Read(ref target)!.Tell(message, sender);
            return;
        }
        lock (gate)
        {
            switch (state)
            {
                case Pending:
                    (waiting ??= []).Add((message, sender));
                    return;
                case Bound:
                    target!.Tell(message, sender);
                    return;
            }
        }
        Drop(message);
    }

    /// <summary>The actor exists now: send what waited, in order, then everything else straight to it.</summary>
    public void Bind(IActorRef actor)
    {
        lock (gate)
        {
            if (state != Pending) return;
            if (waiting is not null)
                foreach (var (message, sender) in waiting) actor.Tell(message, sender);
            waiting = null;
            target = actor;
            Volatile.Write(ref state, Bound);
        }
    }

    /// <summary>The bound actor is gone (a crashed slot child): send to <paramref name="actor"/> instead, which counts late messages.</summary>
    public void Redirect(IActorRef actor)
    {
        lock (gate)
        {
            if (state == Bound) Volatile.Write(ref target, actor);
        }
    }

    /// <summary>The entry ended: what still waits and what comes later is late.</summary>
    public void End()
    {
        List<(object Message, IActorRef? Sender)>? dropped;
        lock (gate)
        {
            if (state == Ended) return;
            dropped = waiting;
            waiting = null;
            Volatile.Write(ref state, Ended);
        }
        if (dropped is not null) foreach (var (message, _) in dropped) Drop(message);
    }

    private void Drop(object message)
    {
        OperationStats.Count(ref stats.late);
        // A slot opened through an ended entry will never be bound: end it too, so its handle's messages are counted.
        if (message is OpenSlotLocal openSlot) openSlot.Target.End();
    }
}
