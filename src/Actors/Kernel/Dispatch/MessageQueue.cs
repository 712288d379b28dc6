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
/// ring fills, it is frozen and the producer whose freeze took effect links a ring twice its size (up to
/// <see cref="MaxSegmentLength"/>) after it; the consumer moves on once the frozen ring is empty.
///
/// A drained full-size ring is kept as a spare and linked again by the next growth, so a sustained backlog
/// does not allocate a ring per 2048 messages. Reuse is safe against producers still holding the old
/// reference: a ring's positions keep counting across lives (a stale claim's CAS can never match), and a
/// spare is marked reserved, which makes producers go back to the tail, until it is linked and opened.
///
/// Producers claim a position with a CAS on the ring's tail before publishing the slot. Because that
/// claim is a full fence, the consumer's <see cref="HasMessages"/> (which reads claimed positions, not
/// published slots) and the producer's read of the mailbox status form a Dekker pair: after a consumer
/// goes idle, at least one side sees the other, so a message never sits in an idle mailbox.
///
/// Every <see cref="SampleEvery"/>-th message (by its index in the queue) is stamped with the enqueue time, so mailbox
/// wait is measured on a sample without putting a clock read on every Tell.
/// </remarks>
internal sealed class MessageQueue
{
    /// <summary>One in this many messages carries an enqueue timestamp (a power of two).</summary>
    public const int SampleEvery = 16;
    private const int SampleMask = SampleEvery - 1;
    internal const int InitialSegmentLength = 4;
    internal const int MaxSegmentLength = 2048; // 2048 slots × 32 bytes = 64 KiB: stays off the large object heap

    private Segment head; // consumer-owned; published volatile for readers of Count
    private Segment tail; // producers move it forward
    private Segment? spare; // a drained full-size ring, reserved, waiting to be linked again

    public MessageQueue()
    {
        head = tail = new Segment(InitialSegmentLength, baseIndex: 0);
    }

    /// <summary>Enqueues from any thread.</summary>
    public void Enqueue(object message, object? sender)
    {
        var spinner = new SpinWait();
        while (true)
        {
            var segment = Volatile.Read(ref tail);
            var result = segment.TryEnqueue(message, sender);
            if (result == EnqueueResult.Done) return;
            if (result == EnqueueResult.Full) Grow(segment);
            else spinner.SpinOnce(sleep1Threshold: -1); // a reserved ring: stale, or being linked; read the tail again
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
            Recycle(segment);
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

    /// <summary>Moves past a full ring. Only the producer whose freeze took effect links the next ring; the others wait for it.</summary>
    private void Grow(Segment full)
    {
        Segment? next;
        if (full.Freeze())
        {
            var length = Math.Min(full.Length * 2, MaxSegmentLength);
            var reused = length == MaxSegmentLength ? Interlocked.Exchange(ref spare, null) : null;
            if (reused is null)
            {
                next = new Segment(length, full.ClaimedIndex);
                Volatile.Write(ref full.Next, next);
            }
            else
            {
                reused.Rebase(full.ClaimedIndex);
                Volatile.Write(ref full.Next, reused); // linked while still reserved: nobody can write to it before it is in the chain
                reused.Open();
                next = reused;
            }
        }
        else
        {
            var spinner = new SpinWait();
            while ((next = Volatile.Read(ref full.Next)) is null)
            {
                // Frozen in an earlier life and since recycled (reserved, or open again): this producer is stale.
                if (full.IsReserved || !full.IsFrozen) return;
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }
        Interlocked.CompareExchange(ref tail, next, full);
    }

    /// <summary>Consumer: a drained, frozen full-size ring becomes the spare (reserved first, so stale producers keep out).</summary>
    private void Recycle(Segment drained)
    {
        if (drained.Length != MaxSegmentLength) return;
        drained.Reserve();
        Volatile.Write(ref drained.Next, null);
        Volatile.Write(ref spare, drained);
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

    internal enum EnqueueResult { Done, Full, Reserved }

    private struct Slot
    {
        public object? Message;
        public object? Sender;
        public long EnqueuedAt;
        public long Sequence;
    }

    /// <summary>A bounded ring. Its positions count on across reuse; a base index maps them to global indexes.</summary>
    /// <remarks>
    /// The head and tail positions live in slots past the end of the ring, so a ring is one array and one small
    /// object. A mailbox's first ring is small and keeps both positions in one trailing slot: most actors are
    /// short-lived or see little traffic, and padding would more than double their queue's size. Rings from
    /// <see cref="PaddedFromLength"/> slots up, which only a backlog creates, keep the consumer's head and the
    /// producers' tail on separate cache lines.
    /// </remarks>
    private sealed class Segment
    {
        /// <summary>Set in the tail to freeze the ring: every claim then sees a full ring.</summary>
        private const long FrozenBit = 1L << 62;
        /// <summary>Set in the tail of a drained ring kept for reuse: producers go back to the queue's tail.</summary>
        private const long ReservedBit = 1L << 61;
        private const long PositionMask = ReservedBit - 1;
        private const int PaddedFromLength = 64;

        private readonly Slot[] slots; // the ring, then the slots holding the positions (head in Sequence, tail in EnqueuedAt)
        private readonly int mask;
        private readonly int headAt;
        private readonly int tailAt;
        private long baseIndex;
        public Segment? Next;

        public Segment(int length, long baseIndex)
        {
            var padded = length >= PaddedFromLength;
            // Padded: the head 2 slots (64 bytes) past the ring, the tail 3 slots past the head (more than 64 bytes).
            headAt = padded ? length + 2 : length;
            tailAt = padded ? length + 5 : length;
            slots = new Slot[tailAt + 1];
            mask = length - 1;
            this.baseIndex = baseIndex;
            for (var i = 0; i < length; i++) slots[i].Sequence = i;
        }

        public int Length => mask + 1;

        private ref long Head => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(slots), headAt).Sequence;
        private ref long Tail => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(slots), tailAt).EnqueuedAt;

        /// <summary>Makes the next claimed position count as global index <paramref name="nextIndex"/> (for <see cref="MessageQueue.Count"/>).</summary>
        public void Rebase(long nextIndex) => Volatile.Write(ref baseIndex, nextIndex - Claimed);

        /// <summary>Positions claimed so far, without the state bits. Positions keep counting across reuse.</summary>
        private long Claimed => Volatile.Read(ref Tail) & PositionMask;

        public long ClaimedIndex => Volatile.Read(ref baseIndex) + Claimed;
        public long ConsumedIndex => Volatile.Read(ref baseIndex) + Volatile.Read(ref Head);
        public bool HasClaims => Claimed != Volatile.Read(ref Head);
        public bool IsFrozen => (Volatile.Read(ref Tail) & FrozenBit) != 0;
        public bool IsReserved => (Volatile.Read(ref Tail) & ReservedBit) != 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public EnqueueResult TryEnqueue(object message, object? sender)
        {
            var spinner = new SpinWait();
            ref var tail = ref Tail;
            while (true)
            {
                var position = Volatile.Read(ref tail);
                if ((position & ReservedBit) != 0) return EnqueueResult.Reserved;
                ref var slot = ref slots[(int)position & mask];
                var difference = Volatile.Read(ref slot.Sequence) - position;
                if (difference == 0)
                {
                    if (Interlocked.CompareExchange(ref tail, position + 1, position) == position)
                    {
                        slot.Message = message;
                        slot.Sender = sender;
                        // Sampled by global index, so growing through small rings does not sample more often.
                        slot.EnqueuedAt = ((baseIndex + position) & SampleMask) == 0 ? Stopwatch.GetTimestamp() : 0;
                        Volatile.Write(ref slot.Sequence, position + 1);
                        return EnqueueResult.Done;
                    }
                }
                else if (difference < 0)
                {
                    return EnqueueResult.Full; // full, or frozen (the frozen bit puts the position beyond every sequence)
                }
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }

        public DequeueResult TryDequeue(out Envelope envelope)
        {
            ref var head = ref Head;
            var position = head;
            ref var slot = ref slots[(int)position & mask];
            if (Volatile.Read(ref slot.Sequence) == position + 1)
            {
                envelope.Message = slot.Message;
                envelope.Sender = slot.Sender;
                envelope.EnqueuedAt = slot.EnqueuedAt;
                slot.Message = null;
                slot.Sender = null;
                Volatile.Write(ref slot.Sequence, position + Length);
                Volatile.Write(ref head, position + 1);
                return DequeueResult.Item;
            }
            envelope = default;
            var tail = Volatile.Read(ref Tail);
            if ((tail & PositionMask) != position) return DequeueResult.InFlight;
            if ((tail & ReservedBit) != 0) return DequeueResult.Empty; // linked but not yet opened
            return (tail & FrozenBit) != 0 ? DequeueResult.Drained : DequeueResult.Empty;
        }

        /// <summary>Stops further enqueues; true for the one caller whose call froze it.</summary>
        public bool Freeze() => (Interlocked.Or(ref Tail, FrozenBit) & FrozenBit) == 0;

        /// <summary>Marks a drained ring as kept for reuse.</summary>
        public void Reserve() => Interlocked.Or(ref Tail, ReservedBit);

        /// <summary>
        /// Starts a new life: claims continue at the position where the last life stopped, whose slots are all
        /// free (their sequences are exactly the next positions), so no slot needs resetting.
        /// </summary>
        public void Open() => Interlocked.And(ref Tail, PositionMask);
    }
}
