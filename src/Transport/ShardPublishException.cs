namespace Aggregator.Transport;

/// <summary>
/// The broker did not confirm every shard message of a request (unreachable, refused, nacked or too slow), so the
/// HTTP layer answers 503. Shards in <see cref="Published"/> were confirmed and will be applied; see
/// <see cref="ShardPublisher"/> for what retrying such a request does.
/// </summary>
public sealed class ShardPublishException : Exception
{
    public ShardPublishException(string message, IReadOnlyList<int> published, IReadOnlyList<int> failed, Exception? innerException = null)
        : base(message, innerException)
    {
        Published = published;
        Failed = failed;
    }

    /// <summary>Shards whose message the broker confirmed before the failure; empty when nothing was applied.</summary>
    public IReadOnlyList<int> Published { get; }

    /// <summary>Shards whose message was not confirmed: usually not enqueued, but a timed-out or lost confirm may hide one that was.</summary>
    public IReadOnlyList<int> Failed { get; }
}
