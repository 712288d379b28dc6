using Aggregator.Contracts;
using Aggregator.Host.Ingestion;

namespace Aggregator.Host.Cluster;

/// <summary>Cluster mode: a request's messages are published to their shard queues (confirmed) instead of told locally.</summary>
internal sealed class ClusterIngestTarget(ShardPublisher publisher, ILogger<ClusterIngestTarget> logger) : IIngestTarget
{
    public async ValueTask DeliverAsync(IReadOnlyList<IEntryMessage> messages, CancellationToken cancellationToken)
    {
        try
        {
            await publisher.PublishAsync(messages, cancellationToken).ConfigureAwait(false);
        }
        catch (ShardPublishException ex)
        {
            // Logged here, not in the publisher: the Transport library it lives in has no logging dependency.
            logger.LogWarning(ex.InnerException, "Publishing to shard queues failed: confirmed {Published}, not confirmed {Failed}", ex.Published, ex.Failed);
            throw new IngestUnavailableException($"the shard queues cannot take messages now: {ex.Message}", ex);
        }
    }
}
