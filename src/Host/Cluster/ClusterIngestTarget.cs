using Aggregator.Contracts.Wire;
using Aggregator.Host.Ingestion;

namespace Aggregator.Host.Cluster;

/// <summary>
/// Cluster mode: a request's messages are published to their shard queues (confirmed) instead of told locally, as the
/// bytes they arrived in (<see cref="ShardBodies.Copy"/>), so the consuming pod reads exactly what this one checked.
/// </summary>
internal sealed class ClusterIngestTarget(ShardQueues queues, ShardPublisher publisher, ILogger<ClusterIngestTarget> logger) : IIngestTarget
{
    public async ValueTask DeliverAsync(WireBatch batch, ReadOnlyMemory<byte> source, CancellationToken cancellationToken)
    {
        if (batch.Messages.Count == 0) return;
        try
        {
            await publisher.PublishAsync(ShardBodies.Copy(queues, batch, source.Span), cancellationToken).ConfigureAwait(false);
        }
        catch (ShardPublishException ex)
        {
            // Logged here, not in the publisher: the Transport library it lives in has no logging dependency.
            logger.LogWarning(ex.InnerException, "Publishing to shard queues failed: confirmed {Published}, not confirmed {Failed}", ex.Published, ex.Failed);
            throw new IngestUnavailableException($"the shard queues cannot take messages now: {ex.Message}", ex);
        }
    }
}
