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
    private readonly long slowMillis;
    private int status;
    private int hasSystemMessages = 1; // the pending Create
    private bool createPending = true; // consumer-owned after construction
    /// <summary>
    /// Pending system messages, newest first: a lock-free stack that producers push onto with one CAS and the turn
    /// takes whole. <see cref="ClosedMark"/> once closed, so a late push sees it and is answered instead.
    /// </summary>
    private SystemMessage? systemMessages;
    private static readonly SystemMessage ClosedMark = new Terminate();

    public Mailbox(ActorCell cell, int throughput, int capacity, long slowMillis)
    {
        this.cell = cell;
        this.throughput = throughput;
        this.capacity = capacity;
        this.slowMillis = slowMillis;
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
        PostPastCapacity(message, sender);
    }

    /// <summary>Enqueues even when a bounded mailbox is full: for the kernel's own messages (a queued Terminated) that must not be dropped.</summary>
    public void PostPastCapacity(object message, IActorRef? sender)
    {
        queue.Enqueue(message, sender);
        // The enqueue's CAS is a full fence, so this read pairs with the consumer's Idle store (see MessageQueue).
        var current = Volatile.Read(ref status);
        if (current == Idle) TrySchedule(fromWorker: ActorCell.Current is not null);
        else if (current == Closed) DrainToDeadLetters();
    }

    /// <summary>
    /// Schedules the first turn. Every mailbox is born with its <see cref="Create"/> pending (no message object, no
    /// lock): it is processed before any system message, which is the order Create was always posted in anyway.
    /// </summary>
    public void Start()
    {
        if (Volatile.Read(ref status) == Idle) TrySchedule(fromWorker: ActorCell.Current is not null);
    }

    public void PostSystem(SystemMessage message)
    {
        while (true)
        {
            var head = Volatile.Read(ref systemMessages);
            if (ReferenceEquals(head, ClosedMark))
            {
                cell.OnSystemMessageAfterStop(message);
                return;
            }
            message.Next = head;
            if (ReferenceEquals(Interlocked.CompareExchange(ref systemMessages, message, head), head)) break;
        }
        Interlocked.Exchange(ref hasSystemMessages, 1);
        if (Volatile.Read(ref status) == Idle) TrySchedule(fromWorker: ActorCell.Current is not null);
    }

    /// <summary>
    /// Queues the mailbox on the thread pool if it was idle. From inside a turn (an actor telling an actor, or a
    /// mailbox re-queuing itself) it goes to this worker's local queue: no contention on the global queue, and
    /// idle workers still steal it.
    /// </summary>
    private void TrySchedule(bool fromWorker)
    {
        if (Interlocked.CompareExchange(ref status, Scheduled, Idle) == Idle)
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: fromWorker);
    }

    void IThreadPoolWorkItem.Execute()
    {
        if (Volatile.Read(ref status) == Closed) return;
        RunTurn();
        if (Volatile.Read(ref status) == Closed) return;
        Interlocked.Exchange(ref status, Idle);
        if (Volatile.Read(ref hasSystemMessages) != 0 || (cell.CanProcessUserMessages && queue.HasMessages))
            TrySchedule(fromWorker: true); // end of a turn with work left
    }

    /// <summary>
    /// One turn. The precise clock (about 30 ns a read here) is read at the turn's start and end, for busy time,
    /// and around the one message in <see cref="MessageQueue.SampleEvery"/> that carries an enqueue stamp, for
    /// the mailbox-wait and processing-time histograms. Slow messages are caught on the coarse tick count
    /// (about 8 ns, 4 ms resolution), read once per message.
    /// </summary>
    private void RunTurn()
    {
        var outer = ActorCell.Current;
        ActorCell.Current = cell;
        var stats = cell.Stats;
        var start = Stopwatch.GetTimestamp();
        stats.BeginTurn(start);
        RecordDepth(stats);
        if (Volatile.Read(ref hasSystemMessages) != 0) ProcessSystemMessages();

        var processed = stats.Processed;
        var coarse = Environment.TickCount64;
        for (var left = throughput; left > 0 && cell.CanProcessUserMessages; left--)
        {
            if (!queue.TryDequeue(out var envelope)) break;
            if (envelope.EnqueuedAt != 0) InvokeSampled(in envelope, stats);
            else cell.Invoke(envelope.Message!, Unsafe.As<IActorRef?>(envelope.Sender));

            var now = Environment.TickCount64;
            Volatile.Write(ref stats.Processed, ++processed);
            if (now - coarse >= slowMillis)
            {
                Volatile.Write(ref stats.SlowMessages, stats.SlowMessages + 1);
                RecordDepth(stats); // a slow message is when a backlog builds up
            }
            else if (now != coarse || (processed & DepthSampleMask) == 0)
            {
                RecordDepth(stats); // the tick moved during this message (≤ 250 times a second), or every 16th
            }
            coarse = now;
            if (Volatile.Read(ref hasSystemMessages) != 0)
            {
                ProcessSystemMessages();
                coarse = Environment.TickCount64;
            }
        }

        stats.EndTurn(start, Stopwatch.GetTimestamp());
        ActorCell.Current = outer;
    }

    private void InvokeSampled(in MessageQueue.Envelope envelope, Instrumentation.ActorStats stats)
    {
        var dequeuedAt = Stopwatch.GetTimestamp();
        stats.MailboxWait.Record(dequeuedAt - envelope.EnqueuedAt);
        cell.Invoke(envelope.Message!, Unsafe.As<IActorRef?>(envelope.Sender));
        stats.Processing.Record(Stopwatch.GetTimestamp() - dequeuedAt);
    }

    /// <summary>
    /// Peak depth is sampled (turn start, after a message during which the coarse tick moved, every 16th message),
    /// not read on every dequeue: reading the producers' tail costs a cache miss under fan-in.
    /// </summary>
    private void RecordDepth(Instrumentation.ActorStats stats)
    {
        var depth = queue.Count;
        if (depth > stats.PeakMailboxDepth) Volatile.Write(ref stats.PeakMailboxDepth, depth);
    }

    private void ProcessSystemMessages()
    {
        while (Interlocked.Exchange(ref hasSystemMessages, 0) != 0)
        {
            if (createPending)
            {
                createPending = false;
                if (!IsClosed) cell.SystemInvoke(Create.Instance);
            }
            var newestFirst = TakeSystemMessages();
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

    /// <summary>Consumer: everything pushed so far (newest first), or null; never the closed mark.</summary>
    private SystemMessage? TakeSystemMessages()
    {
        while (true)
        {
            var head = Volatile.Read(ref systemMessages);
            if (head is null || ReferenceEquals(head, ClosedMark)) return null;
            // Pop-all by CAS: only this consumer removes, so if the head is unchanged so is everything under it.
            if (ReferenceEquals(Interlocked.CompareExchange(ref systemMessages, null, head), head)) return head;
        }
    }

    /// <summary>Called by the actor's last turn: no more processing; queued and late messages become dead letters.</summary>
    public void Close()
    {
        Interlocked.Exchange(ref status, Closed);
        var pending = Interlocked.Exchange(ref systemMessages, ClosedMark);
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
