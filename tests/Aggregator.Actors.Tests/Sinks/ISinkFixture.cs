using Aggregator.Actors.Persistence;
using Aggregator.Actors.Sinks;

namespace Aggregator.Actors.Tests.Sinks;

/// <summary>
/// Storage of one store kind that outlives a process life (a SQLite file, a PostgreSQL schema), so a scenario can
/// start a life, crash it and start the next over the same rows without knowing which store it runs against.
/// Disposing removes the storage.
/// </summary>
internal interface ISinkFixture : IAsyncDisposable
{
    /// <summary>A new life (actor system, initialized store, sink region) over the fixture's storage.</summary>
    Task<SinkLife> StartAsync(SinkSettings settings);

    /// <summary>A new life whose shards (and queries) see the store through <paramref name="wrap"/> (a fault or a gate).</summary>
    Task<SinkLife> StartAsync(SinkSettings settings, Func<ISinkStore, ISinkStore> wrap);

    /// <summary>Makes the stored dimensions of the aggregate rows of <paramref name="windowStart"/> unreadable for the store (behind its back); returns the rows damaged.</summary>
    Task<int> DamageAggregateDimensionsAsync(DateTimeOffset windowStart);

    /// <summary>Makes the stored state of the aggregate rows of <paramref name="windowStart"/> undecodable (behind the store's back); returns the rows damaged.</summary>
    Task<int> DamageAggregateStateAsync(DateTimeOffset windowStart);

    /// <summary>Replaces the journaled payload of <paramref name="entryId"/> with text that is not a closed entry (behind the store's back).</summary>
    Task DamageEntryAsync(string entryId);

    /// <summary>The journal's row count, read behind the store's back, so a test does not trust the store's own view.</summary>
    Task<long> JournalRowsAsync();
}
