using Aggregator.Actors.Entries;
using Aggregator.Actors.Persistence;
using Aggregator.Actors.Sinks;

namespace Aggregator.Host.Pipeline;

/// <summary>
/// The running path of an entry through this process: the entry region producers write to, the sink region it closes
/// into, and the store the sinks journal to. Started once at host start (<see cref="PipelineStartup"/>); until then
/// <see cref="IsStarted"/> is false and the service reports itself not ready.
/// </summary>
public sealed class EntryPipeline
{
    private volatile Started? started;

    public bool IsStarted => started is not null;

    public EntryRegion Entries => Current.Entries;
    public SinkRegion Sinks => Current.Sinks;
    public ISinkStore Store => Current.Store;

    private Started Current => started ?? throw new InvalidOperationException("The entry pipeline has not started yet.");

    internal void Start(EntryRegion entries, SinkRegion sinks, ISinkStore store) => started = new Started(entries, sinks, store);

    private sealed record Started(EntryRegion Entries, SinkRegion Sinks, ISinkStore Store);
}
