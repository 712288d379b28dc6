namespace Aggregator.Contracts.Client;

/// <summary>
/// Where an <see cref="AggregatorClient"/>'s batches go: <c>POST /v1/messages</c> by default, or anything else that
/// takes NDJSON wire bodies (the cluster's shard queues, in Aggregator.Transport), without Contracts depending on it.
/// The client keeps one sender loop per partition with one batch in flight, and every message of an entry goes to the
/// partition <see cref="PartitionOf"/> names, so a transport whose partitions are its own queues keeps an entry's
/// messages in order. The client retries, counts and reports; a transport makes one attempt per call.
/// </summary>
public interface IBatchTransport : IAsyncDisposable
{
    /// <summary>How many partitions (and so sender loops) the client runs; fixed for the transport's life.</summary>
    int Partitions { get; }

    /// <summary>The partition of an entry, in [0, <see cref="Partitions"/>); the same id must always give the same partition.</summary>
    int PartitionOf(string entryId);

    /// <summary>
    /// One attempt at delivering <paramref name="ndjson"/> (<paramref name="messages"/> wire messages of entries of
    /// <paramref name="partition"/>, one per line). Calls for one partition never overlap. Answer
    /// <see cref="BatchResult.Transient"/> for what waiting may fix (the client retries it with its retry settings and
    /// then counts it failed); throw only <see cref="OperationCanceledException"/> for <paramref name="stopping"/>
    /// (anything else thrown costs the batch, counted as failed).
    /// </summary>
    Task<BatchOutcome> SendAsync(int partition, ReadOnlyMemory<byte> ndjson, int messages, CancellationToken stopping);
}
