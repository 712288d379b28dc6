namespace Aggregator.Host.Ingestion;

/// <summary>
/// What POST /v1/messages did since start, by outcome: read by /metrics and /v1/cluster so refused and rejected
/// traffic is visible rather than lost in access logs.
/// </summary>
public sealed class IngestionStatistics
{
    private long requests;
    private long accepted;
    private long rejected;
    private long malformed;
    private long tooLarge;
    private long unavailable;

    public long Requests => Volatile.Read(ref requests);

    /// <summary>Messages applied.</summary>
    public long MessagesAccepted => Volatile.Read(ref accepted);

    /// <summary>Messages refused one by one (the rest of their request was applied).</summary>
    public long MessagesRejected => Volatile.Read(ref rejected);

    /// <summary>Requests answered 400: the body could not be read as a whole.</summary>
    public long RequestsMalformed => Volatile.Read(ref malformed);

    /// <summary>Requests answered 413.</summary>
    public long RequestsTooLarge => Volatile.Read(ref tooLarge);

    /// <summary>Requests answered 503 (overloaded, starting or stopping): nothing of them was applied.</summary>
    public long RequestsUnavailable => Volatile.Read(ref unavailable);

    internal void CountRequest() => Interlocked.Increment(ref requests);
    internal void CountApplied(int acceptedMessages, int rejectedMessages)
    {
        Interlocked.Add(ref accepted, acceptedMessages);
        if (rejectedMessages > 0) Interlocked.Add(ref rejected, rejectedMessages);
    }

    internal void CountMalformed() => Interlocked.Increment(ref malformed);
    internal void CountTooLarge() => Interlocked.Increment(ref tooLarge);
    internal void CountUnavailable() => Interlocked.Increment(ref unavailable);
}
