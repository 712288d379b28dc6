using Aggregator.Actors.Entries;
using Aggregator.Actors.Kernel;
using Aggregator.Actors.Persistence;
using Aggregator.Actors.Sinks;
using Aggregator.Actors.Sinks.Outputs;
using Aggregator.Contracts;
using Aggregator.Host.Configuration;
using Microsoft.Extensions.Options;

namespace Aggregator.Host.Pipeline;

/// <summary>
/// Brings the pipeline up after the actor system: migrates the store, starts the sink shards (which recover from it),
/// then the entry region. Stopping is the actor system's coordinated shutdown: entries close (Shutdown), sinks drain,
/// and the store is disposed with the service provider afterwards.
/// </summary>
internal sealed class PipelineStartup(
    ActorSystem system,
    ISinkStore store,
    EntryPipeline pipeline,
    IOptions<AggregatorOptions> options,
    ILogger<PipelineStartup> logger) : IHostedService, IDisposable
{
    private readonly List<IEntryOutput> outputs = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await store.InitializeAsync(cancellationToken);
        outputs.AddRange(settings.Outputs.Select((output, i) => EntryOutputs.Create(output, $"{AggregatorOptions.SectionName}:Outputs:{i}")));
        var sinkSettings = settings.Sinks.ToSettings();
        var entrySettings = new EntrySettings { GlobalDimensions = GlobalDimensions(settings) };
        if (settings.Mode == "cluster")
        {
            // Pods share the journal: each pod's sink shards are persistent actors of their own (sink-<ordinal>-<n>), and a
            // pod restarted under the same ordinal recovers them.
            sinkSettings = sinkSettings with { PersistenceIdPrefix = $"sink-{settings.Cluster.ResolveOrdinal(Environment.MachineName)}" };
        }
        else
        {
            // A single node never checkpoints its entries, so it keeps no ended ids for checkpoints (a hash and a queue
            // item per close, ten seconds of them, for nothing).
            entrySettings = entrySettings with { CheckpointTombstoneWindow = TimeSpan.Zero };
        }
        var sinks = SinkRegion.Start(system, store, sinkSettings, outputs.Count == 0 ? null : WriteOutputs);
        var entries = EntryRegion.Start(system, sinks.Ref, entrySettings);
        if (sinks.Settings.OverflowPolicy == SinkOverflowPolicy.Reject) entries.AdmitWhen(sinks.Accepts);
        pipeline.Start(entries, sinks, store);
        logger.LogInformation("Entry pipeline started: {Store} store, {Shards} sink shards, {EntryShards} entry shards, {Outputs} outputs",
            store.Name, sinks.Settings.Shards, entries.Settings.Shards, outputs.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var output in outputs) output.Dispose();
    }

    private void WriteOutputs(IReadOnlyList<ClosedEntry> batch)
    {
        foreach (var output in outputs)
        {
            try
            {
                output.Write(batch);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // An output is optional: its failure is logged, never allowed to stop journaling.
                logger.LogWarning(exception, "Output {Output} failed to write {Count} entries", output.Name, batch.Count);
            }
        }
    }

    private static Dictionary<string, string> GlobalDimensions(AggregatorOptions settings)
    {
        var dimensions = new Dictionary<string, string>(settings.GlobalDimensions, StringComparer.Ordinal);
        dimensions.TryAdd("service", "aggregator");
        dimensions.TryAdd("instance", Environment.MachineName);
        return dimensions;
    }
}
