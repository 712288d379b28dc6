using Aggregator.Host.Pipeline;

namespace Aggregator.Host.Ingestion;

/// <summary>
/// Whether a request may add work now. A request is taken whole or not at all: while the pipeline is starting, the
/// service is stopping, or a sink shard's buffer is full, the answer is 503 with Retry-After and nothing is applied,
/// so the producer retries the same batch instead of guessing which part landed.
/// </summary>
internal sealed class Admission(EntryPipeline pipeline, IHostApplicationLifetime lifetime)
{
    /// <summary>Null when the request may proceed; otherwise why not, for the 503 body.</summary>
    public string? Refusal()
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested) return "the service is shutting down; retry against another instance or later";
        if (!pipeline.IsStarted) return "the service is starting (recovering its sinks); retry shortly";
        if (pipeline.Sinks.IsOverloaded) return "the sinks are overloaded (a shard's buffer is full, the store is slow or down); retry later";
        return null;
    }
}
