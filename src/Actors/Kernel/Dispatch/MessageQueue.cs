using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Aggregator.Actors.Kernel.Dispatch;

/// <summary>
/// The user-message queue of one mailbox: lock-free for any number of producers, one consumer.
/// </summary>
/// <remarks>
/// Built from bounded rings (Vyukov's per-slot sequence numbers) linked into a chain. While the consumer
/// keeps up, producers and consumer go round the same ring, so a steady stream allocates nothing. When a
/// ring fills, it is frozen and a ring twice its size (up to <see cref="MaxSegmentLength"/>) is linked
/// after it; the consumer moves on once the frozen ring is empty.
///
/// Producers claim a position with a CAS on the ring's tail before publishing the slot. Because that
/// claim is a full fence, the consumer's <see cref="HasMessages"/> (which reads claimed positions, not
/// published slots) and the producer's read of the mailbox status form a Dekker pair: after a consumer
/// goes idle, at least one side sees the other, so a message never sits in an idle mailbox.
///
/// Every <see cref="SampleEvery"/>-th position of a ring is stamped with the enqueue time, so mailbox
/// wait is measured on a sample without putting a clock read on every Tell.
/// </remarks>
internal sealed class MessageQueue
{
    /// <summary>One in this many messages carries an enqueue timestamp (a power of two).</summary>
    public const int SampleEvery = 16;
    private const int SampleMask = SampleEvery - 1;
    internal const int InitialSegmentLength = 8;
    internal const int MaxSegmentLength = 2048; // 2048 slots × 32 bytes = 64 KiB: stays off the large object heap

    private Segment head; // consumer-owned; published volatile for readers of Count
    private Segment tail; // producers move it forward

    public MessageQueue()
    {
        head = tail = new Segment(InitialSegmentLength, baseIndex: 0);
    }

    /// <summary>Enqueues from any thread.</summary>
    public void Enqueue(object message, object? sender)
    {
        while (true)
        {
            var segment = Volatile.Read(ref tail);
            if (segment.TryEnqueue(message, sender)) return;
            Grow(segment);
        }
    }

    /// <summary>Dequeues; consumer thread only. Waits briefly for a producer that has claimed a slot but not yet filled it.</summary>
    public bool TryDequeue(out Envelope envelope)
    {
        var segment = head;
        var spinner = new SpinWait(); // one for the whole wait, so it escalates to yielding if a producer is preempted
        while (true)
        {
            var result = segment.TryDequeue(out envelope);
            if (result == DequeueResult.Item) return true;
            if (result == DequeueResult.Empty) return false;
            if (result == DequeueResult.InFlight)
            {
                // A producer claimed this slot and is writing it: it finishes in a few instructions.
                spinner.SpinOnce(sleep1Threshold: -1);
                continue;
            }
            // Drained and frozen: move to the segment the freezer linked after it.
            var next = Volatile.Read(ref segment.Next);
            if (next is null)
            {
                spinner.SpinOnce(sleep1Threshold: -1); // the freezer is linking it
                continue;
            }
            Volatile.Write(ref head, next);
            segment = next;
        }
    }

    /// <summary>True when a producer has claimed a position the consumer has not taken. Consumer thread, or approximate elsewhere.</summary>
    public bool HasMessages
    {
        get
        {
            var segment = Volatile.Read(ref head);
            return segment.HasClaims || Volatile.Read(ref segment.Next) is not null;
        }
    }

    /// <summary>Messages claimed and not yet dequeued; exact on the consumer thread, approximate (never negative) elsewhere.</summary>
    public long Count
    {
        get
        {
            var first = Volatile.Read(ref head);
            var last = Volatile.Read(ref tail);
            var count = last.ClaimedIndex - first.ConsumedIndex;
            return count < 0 ? 0 : count;
        }
    }

    /// <summary>Moves past a full ring. Only the producer whose freeze took effect builds the next ring; the others wait for it.</summary>
    private void Grow(Segment full)
    {
        Segment? next;
        if (full.Freeze())
        {
            next = new Segment(Math.Min(full.Length * 2, MaxSegmentLength), full.ClaimedIndex);
            Volatile.Write(ref full.Next, next);
        }
        else
        {
            var spinner = new SpinWait();
            while ((next = Volatile.Read(ref full.Next)) is null) spinner.SpinOnce(sleep1Threshold: -1);
        }
        Interlocked.CompareExchange(ref tail, next, full);
    }

    /// <summary>One dequeued message with its sender and, for sampled positions, the enqueue timestamp (else 0).</summary>
    [StructLayout(LayoutKind.Auto)]
    internal struct Envelope
    {
        public object? Message;
        public object? Sender;
        public long EnqueuedAt;
    }

    internal enum DequeueResult { Item, Empty, InFlight, Drained }

    private struct Slot
    {
        public object? Message;
        public object? Sender;
        public long EnqueuedAt;
        public long Sequence;
    }

    /// <summary>A bounded ring; positions are relative to the ring, <see cref="BaseIndex"/> makes them global.</summary>
    private sealed class Segment
    {
        /// <summary>Set in the tail to freeze the ring: every claim then sees a full ring.</summary>
        private const long FrozenBit = 1L << 62;

        private readonly Slot[] slots;
        private readonly int mask;
        private PaddedPositions positions;
        public Segment? Next;

        public Segment(int length, long baseIndex)
        {
            slots = new Slot[length];
            mask = length - 1;
            BaseIndex = baseIndex;
            for (var i = 0; i < slots.Length; i++) slots[i].Sequence = i;
        }

        public int Length => slots.Length;
        public long BaseIndex { get; }

        /// <summary>Positions claimed so far, without the frozen bit.</summary>
        private long Claimed => Volatile.Read(ref positions.Tail) & ~FrozenBit;

        public long ClaimedIndex => BaseIndex + Claimed;
        public long ConsumedIndex => BaseIndex + Volatile.Read(ref positions.Head);
        public bool HasClaims => Claimed != Volatile.Read(ref positions.Head);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool TryEnqueue(object message, object? sender)
        {
            var spinner = new SpinWait();
            while (true)
            {
                var position = Volatile.Read(ref positions.Tail);
                ref var slot = ref slots[(int)position & mask];
                var difference = Volatile.Read(ref slot.Sequence) - position;
                if (difference == 0)
                {
                    if (Interlocked.CompareExchange(ref positions.Tail, position + 1, position) == position)
                    {
                        slot.Message = message;
                        slot.Sender = sender;
                        slot.EnqueuedAt = (position & SampleMask) == 0 ? Stopwatch.GetTimestamp() : 0;
                        Volatile.Write(ref slot.Sequence, position + 1);
                        return true;
                    }
                }
                else if (difference < 0)
                {
                    return false; // full, or frozen
                }
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }

        public DequeueResult TryDequeue(out Envelope envelope)
        {
            var position = positions.Head;
            ref var slot = ref slots[(int)position & mask];
            if (Volatile.Read(ref slot.Sequence) == position + 1)
            {
                envelope.Message = slot.Message;
                envelope.Sender = slot.Sender;
                envelope.EnqueuedAt = slot.EnqueuedAt;
                slot.Message = null;
                slot.Sender = null;
                Volatile.Write(ref slot.Sequence, position + slots.Length);
                Volatile.Write(ref positions.Head, position + 1);
                return DequeueResult.Item;
            }
            envelope = default;
            var tail = Volatile.Read(ref positions.Tail);
            if ((tail & ~FrozenBit) != position) return DequeueResult.InFlight;
            return (tail & FrozenBit) != 0 ? DequeueResult.Drained : DequeueResult.Empty;
        }

        /// <summary>Stops further enqueues (the frozen bit puts the tail beyond every slot's sequence, so claims fail); true for the one caller that froze it.</summary>
        public bool Freeze() => (Interlocked.Or(ref positions.Tail, FrozenBit) & FrozenBit) == 0;
    }

    /// <summary>Keeps the consumer's head and the producers' tail on separate cache lines.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 3 * 64)]
    private struct PaddedPositions
    {
        [FieldOffset(64)] public long Head;
        [FieldOffset(128)] public long Tail;
    }
}
