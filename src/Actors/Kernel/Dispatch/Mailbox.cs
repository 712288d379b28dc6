using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Aggregator.Actors.Kernel.Dispatch;

/// <summary>
/// An actor's mailbox and its dispatcher in one: queues user and system messages, schedules itself onto the
/// .NET thread pool when it goes from idle to scheduled, and runs turns of up to <c>throughput</c> user
/// messages, system messages first. The turn loop is also where the per-actor instrumentation is counted.
/// </summary>
internal sealed class Mailbox : IThreadPoolWorkItem
{
    private const int Idle = 0;
    private const int Scheduled = 1;
    private const int Closed = 2;
    private const int DepthSampleMask = 15;

    private readonly MessageQueue queue = new();
    private readonly ActorCell cell;
    private readonly int throughput;
    private readonly int capacity;
    private readonly long slowTicks;
    private int status;
    private int hasSystemMessages;
    private SystemMessage? systemMessages; // newest first; guarded by lock (this)

    public Mailbox(ActorCell cell, int throughput, int capacity, long slowTicks)
    {
        this.cell = cell;
        this.throughput = throughput;
        this.capacity = capacity;
        this.slowTicks = slowTicks;
    }

    public bool IsClosed => Volatile.Read(ref status) == Closed;
    public long Depth => queue.Count;

    /// <summary>The Tell path: enqueue, then schedule if idle. No lock, no allocation.</summary>
    public void Post(object message, IActorRef? sender)
    {
        if (capacity > 0 && queue.Count >= capacity)
        {
            cell.OnMailboxOverflow(message, sender);
            return;
        }
        queue.Enqueue(message, sender);
        // The enqueue's CAS is a full fence, so this read pairs with the consumer's Idle store (see MessageQueue).
        var current = Volatile.Read(ref status);
        if (current == Idle) TrySchedule();
        else if (current == Closed) DrainToDeadLetters();
    }

    public void PostSystem(SystemMessage message)
    {
        lock (this)
        {
            if (status != Closed)
            {
                message.Next = systemMessages;
                systemMessages = message;
                message = null!;
            }
        }
        if (message is not null)
        {
            cell.OnSystemMessageAfterStop(message);
            return;
        }
        Interlocked.Exchange(ref hasSystemMessages, 1);
        if (Volatile.Read(ref status) == Idle) TrySchedule();
    }

    private void TrySchedule()
    {
        if (Interlocked.CompareExchange(ref status, Scheduled, Idle) == Idle)
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    void IThreadPoolWorkItem.Execute()
    {
        if (Volatile.Read(ref status) == Closed) return;
        RunTurn();
        if (Volatile.Read(ref status) == Closed) return;
        Interlocked.Exchange(ref status, Idle);
        if (Volatile.Read(ref hasSystemMessages) != 0 || (cell.CanProcessUserMessages && queue.HasMessages))
            TrySchedule();
    }

    private void RunTurn()
    {
        var outer = ActorCell.Current;
        ActorCell.Current = cell;
        var stats = cell.Stats;
        var start = Stopwatch.GetTimestamp();
        stats.BeginTurn(start);
        RecordDepth(stats);

        var time = start;
        if (Volatile.Read(ref hasSystemMessages) != 0)
        {
            ProcessSystemMessages();
            time = Stopwatch.GetTimestamp();
        }

        var processed = stats.Processed;
        for (var left = throughput; left > 0 && cell.CanProcessUserMessages; left--)
        {
            if (!queue.TryDequeue(out var envelope)) break;
            if (envelope.EnqueuedAt != 0) stats.MailboxWait.Record(time - envelope.EnqueuedAt);
            cell.Invoke(envelope.Message!, Unsafe.As<IActorRef?>(envelope.Sender));
            var now = Stopwatch.GetTimestamp();
            var elapsed = now - time;
            stats.Processing.Record(elapsed);
            Volatile.Write(ref stats.Processed, ++processed);
            if (elapsed > slowTicks)
            {
                Volatile.Write(ref stats.SlowMessages, stats.SlowMessages + 1);
                RecordDepth(stats); // a slow message is when a backlog builds up
            }
            else if ((processed & DepthSampleMask) == 0)
            {
                RecordDepth(stats);
            }
            time = now;
            if (Volatile.Read(ref hasSystemMessages) != 0)
            {
                ProcessSystemMessages();
                time = Stopwatch.GetTimestamp();
            }
        }

        stats.EndTurn(start, time);
        ActorCell.Current = outer;
    }

    /// <summary>Peak depth is sampled (turn start, after slow messages, every 16th message), not read on every dequeue.</summary>
    private void RecordDepth(Instrumentation.ActorStats stats)
    {
        var depth = queue.Count;
        if (depth > stats.PeakMailboxDepth) Volatile.Write(ref stats.PeakMailboxDepth, depth);
    }

    private void ProcessSystemMessages()
    {
        while (Interlocked.Exchange(ref hasSystemMessages, 0) != 0)
        {
            SystemMessage? newestFirst;
            lock (this)
            {
                newestFirst = systemMessages;
                systemMessages = null;
            }
            SystemMessage? oldestFirst = null;
            while (newestFirst is not null)
            {
                var next = newestFirst.Next;
                newestFirst.Next = oldestFirst;
                oldestFirst = newestFirst;
                newestFirst = next;
            }
            while (oldestFirst is not null)
            {
                var message = oldestFirst;
                oldestFirst = message.Next;
                message.Next = null;
                if (IsClosed) cell.OnSystemMessageAfterStop(message);
                else cell.SystemInvoke(message);
            }
        }
    }

    /// <summary>Called by the actor's last turn: no more processing; queued and late messages become dead letters.</summary>
    public void Close()
    {
        SystemMessage? pending;
        lock (this)
        {
            Interlocked.Exchange(ref status, Closed);
            pending = systemMessages;
            systemMessages = null;
        }
        for (var message = pending; message is not null; message = message.Next) cell.OnSystemMessageAfterStop(message);
        DrainToDeadLetters();
    }

    /// <summary>
    /// After close, whoever sees the closed status drains. Every producer checks the status after its own claim,
    /// so each message is drained either by the closer or by its own producer, never left behind.
    /// </summary>
    private void DrainToDeadLetters()
    {
        lock (queue)
        {
            while (queue.TryDequeue(out var envelope))
                cell.OnDeadLetter(envelope.Message!, Unsafe.As<IActorRef?>(envelope.Sender));
        }
    }
}
