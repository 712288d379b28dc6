using Aggregator.Contracts;

namespace Aggregator.Actors.Sinks.Outputs;

/// <summary>
/// An optional extra destination for closed entries (JSON Lines, CloudWatch EMF), beside the store: the sink shard
/// hands it each batch it has taken. Writes are synchronous because the shard already runs them off the entry path
/// and a batch must be on its way (flushed) before the shard moves on; so disposal is synchronous too.
/// One instance may be shared by several shards: implementations serialise whole batches, so lines never interleave.
/// </summary>
public interface IEntryOutput : IDisposable
{
    /// <summary>For logs and metrics about the output itself, e.g. "jsonl:stdout" or "emf:file".</summary>
    string Name { get; }

    /// <summary>Writes and flushes the batch; an empty batch writes nothing.</summary>
    void Write(IReadOnlyList<ClosedEntry> batch);
}
