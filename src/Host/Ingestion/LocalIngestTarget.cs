using Aggregator.Actors.Kernel;
using Aggregator.Contracts.Wire;
using Aggregator.Host.Pipeline;

namespace Aggregator.Host.Ingestion;

/// <summary>Single node: every message is told to this process's entry region, the same Tell an in-process producer makes.</summary>
internal sealed class LocalIngestTarget(EntryPipeline pipeline) : IIngestTarget
{
    public ValueTask DeliverAsync(WireBatch batch, ReadOnlyMemory<byte> source, CancellationToken cancellationToken)
    {
        var entries = pipeline.Entries.Ref;
        foreach (var message in batch.Messages) entries.Tell(message, ActorRefs.NoSender);
        return ValueTask.CompletedTask;
    }
}
