namespace Aggregator.Contracts.Client;

/// <summary>
/// A snapshot of what the client did with the messages it was given, so a producer can see loss without the client
/// ever throwing at it. Every enqueued message ends as accepted, rejected, in a failed batch, unwritable or
/// abandoned, or is still in flight: <c>Enqueued = Accepted + Rejected + FailedMessages + Unwritable + Abandoned + in flight</c>.
/// </summary>
public sealed record AggregatorClientStatistics(
    long Enqueued,
    long DroppedOverflow,
    long SentBatches,
    long SentMessages,
    long Accepted,
    long Rejected,
    long FailedBatches,
    long FailedMessages,
    long Retries,
    long Unwritable,
    long Abandoned,
    long UseAfterClose,
    long InBuffer);

/// <summary>The live counters behind <see cref="AggregatorClientStatistics"/>; each is only ever added to, with Interlocked.</summary>
internal sealed class ClientCounters
{
    public long Enqueued;
    public long DroppedOverflow;
    public long SentBatches;
    public long SentMessages;
    public long Accepted;
    public long Rejected;
    public long FailedBatches;
    public long FailedMessages;
    public long Retries;
    public long Unwritable;
    public long Abandoned;
    public long UseAfterClose;

    public static void Count(ref long counter, long by = 1) => Interlocked.Add(ref counter, by);

    public AggregatorClientStatistics Snapshot(long inBuffer) => new(
        Volatile.Read(ref Enqueued), Volatile.Read(ref DroppedOverflow), Volatile.Read(ref SentBatches), Volatile.Read(ref SentMessages),
        Volatile.Read(ref Accepted), Volatile.Read(ref Rejected), Volatile.Read(ref FailedBatches), Volatile.Read(ref FailedMessages),
        Volatile.Read(ref Retries), Volatile.Read(ref Unwritable), Volatile.Read(ref Abandoned), Volatile.Read(ref UseAfterClose), inBuffer);
}
