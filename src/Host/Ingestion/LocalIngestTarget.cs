using Aggregator.Actors.Kernel;
using Aggregator.Contracts;
using Aggregator.Host.Pipeline;

namespace Aggregator.Host.Ingestion;

/// <summary>Single node: every message is told to this process's entry region, the same Tell an in-process producer makes.</summary>
internal sealed class LocalIngestTarget(EntryPipeline pipeline) : IIngestTarget
{
    public ValueTask DeliverAsync(IReadOnlyList<IEntryMessage> messages, CancellationToken cancellationToken)
    {
        var entries = pipeline.Entries.Ref;
        foreach (var message in messages) entries.Tell(message, ActorRefs.NoSender);
        return ValueTask.CompletedTask;
    }
}
