using Aggregator.Contracts.Wire;

namespace Aggregator.Host.Ingestion;

/// <summary>
/// Where the valid messages of one request go: the local entry region (single node) or the shard queues (cluster
/// mode). Messages are handed over in their order; a target that cannot take them throws
/// <see cref="IngestUnavailableException"/> and the request is answered 503.
/// </summary>
public interface IIngestTarget
{
    /// <summary>
    /// Delivers <see cref="WireBatch.Messages"/>; <paramref name="source"/> is the body they were read from (see
    /// <see cref="WireBatch.Sources"/>), valid until the returned task completes, for a target that forwards bytes.
    /// </summary>
    ValueTask DeliverAsync(WireBatch batch, ReadOnlyMemory<byte> source, CancellationToken cancellationToken);
}

/// <summary>The target cannot take messages now (e.g. the broker is unreachable); the producer should retry later.</summary>
public sealed class IngestUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
