using Aggregator.Actors.Kernel;
using Aggregator.Actors.Sharding;
using Aggregator.Contracts;

namespace Aggregator.Actors.Entries;

/// <summary>
/// Where entries live: a <see cref="ShardRegion"/> of <see cref="EntryShard"/> actors, the per-operation counters,
/// and the in-process producer API (<see cref="Open(string, IReadOnlyDictionary{string, string}?, TimeSpan?, TimeSpan?, string?)"/>
/// returns an <see cref="EntryHandle"/>). Remote producers Tell contract records to <see cref="Ref"/>. At system
/// shutdown (phase <c>cluster-sharding-shutdown-region</c>) every open entry closes with reason Shutdown.
/// </summary>
public sealed partial class EntryRegion
{
    public const string DefaultTypeName = "entries";

    private readonly EntryContext context;
    private readonly EntryIds ids = new();
    private Func<string, bool>? admission;

    private EntryRegion(ActorSystem system, ShardRegion region, EntryContext context)
    {
        System = system;
        Ref = region;
        this.context = context;
    }

    public ActorSystem System { get; }

    /// <summary>Tell any <see cref="IEntryMessage"/> here; the sender of an Open is the entry's owner.</summary>
    public ShardRegion Ref { get; }

    public EntrySettings Settings => context.Settings;

    /// <summary>Counters per operation: opened, in flight, closed by reason, late, orphans, duplicates, drops.</summary>
    public EntryStatistics Statistics => context.Statistics;

    /// <summary>Starts the region; closed entries are told to <paramref name="sink"/>.</summary>
    public static EntryRegion Start(ActorSystem system, IActorRef sink, EntrySettings? settings = null, string typeName = DefaultTypeName)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(sink);
        settings ??= new EntrySettings();
        settings.Validate();
        var context = new EntryContext(settings, sink, new EntryStatistics(), system.TimeProvider);
        var region = ShardRegion.Start(system, typeName, settings.Shards, shard => Props.Create(() => new EntryShard(shard, context)), new EntryMessageExtractor(settings.Shards));
        var entries = new EntryRegion(system, region, context);
        system.CoordinatedShutdown.AddTask(CoordinatedShutdown.Phases.ClusterShardingShutdownRegion, $"close-{typeName}", entries.ShutdownAsync);
        return entries;
    }

    /// <summary>
    /// Opens an entry and returns its handle. Never blocks: the Open is told to the entry's shard; what the handle
    /// sends before the shard has created the entry waits in the handle, in order, and everything after goes straight
    /// to the entry actor (no shard hop). Inside an actor, that actor owns the entry (its stopping releases it).
    /// <paramref name="entryId"/> defaults to a new unique id.
    /// </summary>
    public EntryHandle Open(
        string operation,
        IReadOnlyDictionary<string, string>? dimensions = null,
        TimeSpan? forceFlushAfter = null,
        TimeSpan? maxLifetime = null,
        string? entryId = null)
    {
        Contracts.Open.CheckArguments(operation, forceFlushAfter, maxLifetime, entryId);
        if (operation.Contains('\0') || entryId?.Contains('\0') == true) throw new ArgumentException("The entry id and operation must not contain U+0000 (PostgreSQL text cannot keep it).", entryId?.Contains('\0') == true ? nameof(entryId) : nameof(operation));
        var id = entryId ?? ids.Next();
        var stats = context.Statistics.For(operation);
        if (admission is { } hasRoom && !hasRoom(id))
        {
            OperationStats.Count(ref stats.refused);
            throw new EntryRejectedException(operation, id);
        }
        var target = new HandleTarget(stats);
        Ref.Tell(new OpenLocal(new Open(id, operation, dimensions, forceFlushAfter, maxLifetime), target));
        return new EntryHandle(target, id, operation, stats, context.Clock, context.Settings.MaxRetainedObservations);
    }

    /// <summary>
    /// Backpressure from the sinks: when set, <see cref="Open(string, IReadOnlyDictionary{string, string}?, TimeSpan?, TimeSpan?, string?)"/>
    /// asks it whether the entry's sink has room and refuses the entry (<see cref="EntryRejectedException"/>, or false
    /// from <see cref="TryOpen"/>) while it has not, rather than building an entry that would be dropped at the end.
    /// </summary>
    public void AdmitWhen(Func<string, bool> hasRoom) => admission = hasRoom ?? throw new ArgumentNullException(nameof(hasRoom));

    /// <summary>Like Open, but returns false instead of throwing when the sinks refuse new entries.</summary>
    public bool TryOpen(
        string operation,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EntryHandle? handle,
        IReadOnlyDictionary<string, string>? dimensions = null,
        TimeSpan? forceFlushAfter = null,
        TimeSpan? maxLifetime = null,
        string? entryId = null)
    {
        try
        {
            handle = Open(operation, dimensions, forceFlushAfter, maxLifetime, entryId);
            return true;
        }
        catch (EntryRejectedException)
        {
            handle = null;
            return false;
        }
    }

    /// <summary>
    /// What an open entry is waiting for, or null when the id is not open (never opened, or already ended). The
    /// answer comes from the entry itself, after every message the region routed to it before.
    /// </summary>
    public async Task<EntryState?> FindAsync(string entryId, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(entryId);
        var answer = await Ref.Ask<object>(new FindEntry(entryId), timeout ?? TimeSpan.FromSeconds(5), System).ConfigureAwait(false);
        return answer as EntryState;
    }

    /// <summary>Shards and their live entry counts (Akka's <c>GetShardRegionState</c>).</summary>
    public Task<ShardRegionState> GetStateAsync(TimeSpan? timeout = null) => Ref.GetStateAsync(timeout ?? TimeSpan.FromSeconds(10));

    /// <summary>Closes every open entry with reason Shutdown and completes once all of them reached the sink's mailbox.</summary>
    public Task ShutdownAsync(CancellationToken cancellationToken = default) =>
        Ref.AskRunningShardsAsync<ShardDrained>(DrainShard.Instance, TimeSpan.FromMinutes(1), cancellationToken);
}
