using Aggregator.Contracts;

namespace Aggregator.Host.Ingestion;

/// <summary>
/// Where the valid messages of one request go: the local entry region (single node) or the shard queues (cluster
/// mode). Messages are handed over in their order; a target that cannot take them throws
/// <see cref="IngestUnavailableException"/> and the request is answered 503.
/// </summary>
public interface IIngestTarget
{
    ValueTask DeliverAsync(IReadOnlyList<IEntryMessage> messages, CancellationToken cancellationToken);
}

/// <summary>The target cannot take messages now (e.g. the broker is unreachable); the producer should retry later.</summary>
public sealed class IngestUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
