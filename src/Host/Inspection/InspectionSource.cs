using Aggregator.Actors.Inspection;
using Aggregator.Actors.Kernel;
using Aggregator.Host.Pipeline;

namespace Aggregator.Host.Inspection;

/// <summary>Reads this node for inspection: a sample of kernel, process, entries and sinks, and the regions' shard reports.</summary>
public sealed class InspectionSource(ActorSystem system, EntryPipeline pipeline, SampleHistory history)
{
    /// <summary>How long the entry shards get to report their entity counts before the view goes without them.</summary>
    public static readonly TimeSpan RegionStateTimeout = TimeSpan.FromSeconds(5);

    public InspectionSample Sample() => new(
        system.Instrumentation.Snapshot(),
        ProcessSnapshot.Take(),
        pipeline.IsStarted ? pipeline.Entries.Statistics.Snapshot() : [],
        pipeline.IsStarted ? pipeline.Sinks.Snapshot() : []);

    /// <summary>The window from the sampler's history up to a sample taken now.</summary>
    public InspectionWindow CurrentWindow() => history.WindowEndingWith(Sample());

    /// <summary>
    /// The entry and sink regions, empty before the pipeline started. Entry shards are asked (they own their
    /// entities); a shard that does not answer in time is itself worth knowing, so its region is named as unanswered.
    /// </summary>
    public async Task<(IReadOnlyList<RegionView> Regions, string? Unanswered)> RegionsAsync()
    {
        if (!pipeline.IsStarted) return ([], null);
        var sinks = RegionViews.FromSinks(pipeline.Sinks.Ref.TypeName, pipeline.Sinks.Snapshot());
        try
        {
            var entries = RegionViews.FromState(await pipeline.Entries.GetStateAsync(RegionStateTimeout));
            return ([entries, sinks], null);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
        {
            return ([new RegionView(pipeline.Entries.Ref.TypeName, 0, []), sinks], pipeline.Entries.Ref.TypeName);
        }
    }
}
