using Aggregator.Actors.Kernel;
using Aggregator.Actors.Persistence;
using Aggregator.Actors.Sharding;
using Aggregator.Contracts;

namespace Aggregator.Actors.Sinks;

/// <summary>
/// The sharded sinks: a <see cref="ShardRegion"/> of <see cref="SinkShard"/> persistent actors over one store. Tell
/// closed entries to <see cref="Ref"/> (that is what an entry region's sink is). <see cref="Accepts"/> tells producers
/// whether the shard an entry would go to has room, for backpressure before work is done rather than a drop after.
/// At shutdown (phase <c>before-actor-system-terminate</c>, after the entries closed) every shard journals what it
/// buffered and flushes its aggregates.
/// </summary>
public sealed class SinkRegion
{
    public const string DefaultTypeName = "sinks";

    private readonly SinkShardStats[] shards;
    private readonly SinkMessageExtractor extractor;

    private SinkRegion(ActorSystem system, ShardRegion region, ISinkStore store, SinkSettings settings, SinkShardStats[] shards, SinkMessageExtractor extractor)
    {
        System = system;
        Ref = region;
        Store = store;
        Settings = settings;
        this.shards = shards;
        this.extractor = extractor;
    }

    public ActorSystem System { get; }

    /// <summary>Where closed entries are told.</summary>
    public ShardRegion Ref { get; }

    /// <summary>The store the shards journal to; queries read it directly.</summary>
    public ISinkStore Store { get; }

    public SinkSettings Settings { get; }

    /// <summary>Entry and aggregate queries over the store; aggregates include the shards' unflushed partials.</summary>
    public SinkQueries Queries => new(Store, this, QueryStats);

    /// <summary>What aggregate queries had to leave out, summed over every query of this region.</summary>
    public SinkQueryStats QueryStats { get; } = new();

    /// <summary>
    /// Starts the sink shards over <paramref name="store"/> (already initialized). <paramref name="onJournaled"/>, if
    /// given, receives every batch of newly journaled entries on the shard's turn (the optional outputs).
    /// </summary>
    public static SinkRegion Start(ActorSystem system, ISinkStore store, SinkSettings? settings = null, Action<IReadOnlyList<ClosedEntry>>? onJournaled = null, string typeName = DefaultTypeName)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(store);
        settings ??= new SinkSettings();
        settings.Validate();
        var stats = Enumerable.Range(0, settings.Shards).Select(i => new SinkShardStats(i, settings.PersistenceIdPrefix)).ToArray();
        var extractor = new SinkMessageExtractor(settings.Shards);
        var clock = system.TimeProvider;
        var region = ShardRegion.Start(system, typeName, settings.Shards,
            shard => Props.Create(() => new SinkShard(shard, store, settings, stats[shard], onJournaled, clock)), extractor);
        var sinks = new SinkRegion(system, region, store, settings, stats, extractor);
        system.CoordinatedShutdown.AddTask(CoordinatedShutdown.Phases.BeforeActorSystemTerminate, $"drain-{typeName}", sinks.DrainAsync);
        return sinks;
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting, for hosts that check configuration at start.</summary>
    public static void Validate(SinkSettings settings) => settings.Validate();

    /// <summary>Whether the shard that <paramref name="entryId"/> would go to has room in its buffer.</summary>
    public bool Accepts(string entryId) => shards[extractor.ShardId(entryId)].Buffered < Settings.BufferCapacity;

    /// <summary>Whether any shard's buffer is full (the host answers 503 + Retry-After while it is).</summary>
    public bool IsOverloaded => shards.Any(s => s.Buffered >= Settings.BufferCapacity);

    /// <summary>Every shard's counters: buffered, journaled, duplicates, dropped, lags, breaker state.</summary>
    public IReadOnlyList<SinkShardSnapshot> Snapshot() => shards.Select(s => s.Snapshot()).ToList();

    /// <summary>
    /// Completes once every entry the shards received before this call is journaled (or dropped: the count of those is
    /// returned, and is also in the shards' statistics). An entry told to the sinks before the call, from the same
    /// thread or from an actor whose answer the caller awaited, is covered. Waits as long as the store is down.
    /// </summary>
    public async Task<long> JournalBarrierAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var passed = await Ref.AskRunningShardsAsync<JournalBarrierPassed>(JournalBarrier.Instance, timeout, cancellationToken).ConfigureAwait(false);
        return passed.Sum(p => p.Dropped);
    }

    /// <summary>Journals everything buffered and flushes aggregates on every shard; completes when all are done.</summary>
    public Task DrainAsync(CancellationToken cancellationToken = default) =>
        Ref.AskRunningShardsAsync<SinkDrained>(DrainSink.Instance, TimeSpan.FromMinutes(1), cancellationToken);
}
