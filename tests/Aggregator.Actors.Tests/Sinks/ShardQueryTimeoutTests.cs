using Aggregator.Actors.Kernel;
using Aggregator.Actors.Persistence.Sqlite;
using Aggregator.Actors.Sinks;

namespace Aggregator.Actors.Tests.Sinks;

/// <summary>
/// A shard that cannot answer an aggregate query (its turn is stuck) must not hang the query: after
/// <see cref="SinkSettings.QueryTimeout"/> the answer comes from the store alone and names the shards it could not
/// ask. The turn is held by the region's own journaled-entries callback, which runs on the shard's turn, behind a
/// barrier the test opens; the store is a real SQLite file.
/// </summary>
public sealed class ShardQueryTimeoutTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = ClosedEntries.Day;
    private readonly SqliteSinkFixture fixture = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await fixture.DisposeAsync();

    [Fact]
    public async Task A_shard_stuck_in_its_turn_is_answered_from_the_store_after_the_query_timeout()
    {
        var settings = SinkScenarioTests.Fast with { Shards = 1, AggregateFlushInterval = TimeSpan.FromHours(1), QueryTimeout = TimeSpan.FromMilliseconds(300) };
        await using var store = new SqliteSinkStore(fixture.DatabasePath);
        await store.InitializeAsync();
        var system = ActorSystem.Create("stuck", new ActorSystemSettings { RunCoordinatedShutdownOnExitSignals = false });
        using var stuck = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var sinks = SinkRegion.Start(system, store, settings, onJournaled: _ =>
        {
            stuck.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        });
        try
        {
            sinks.Ref.Tell(ClosedEntries.Of("s1", closedAt: Day.AddHours(10)), null);
            Assert.True(stuck.Wait(TimeSpan.FromSeconds(30)), "the shard's turn is held");

            var started = DateTime.UtcNow;
            var result = await sinks.Queries.GetAggregatesAsync("Op", Day, Day.AddDays(1));
            Assert.InRange(DateTime.UtcNow - started, settings.QueryTimeout, TimeSpan.FromSeconds(10));
            Assert.Equal(["sink-0"], result.StoreOnlyShards);
            Assert.Contains(result.Warnings, w => w.Contains("did not answer", StringComparison.Ordinal) || w.Contains("answered within", StringComparison.Ordinal));
            Assert.Empty(result.Groups); // nothing flushed, and the shard's partial could not be asked for
            Assert.Equal(1, sinks.QueryStats.StoreOnlyShardAnswers);

            release.Set();
            var after = await sinks.Queries.GetAggregatesAsync("Op", Day, Day.AddDays(1));
            Assert.Empty(after.StoreOnlyShards);
            Assert.Equal(1, Assert.Single(after.Groups).Entries);
        }
        finally
        {
            release.Set();
            await system.Terminate();
        }
    }
}
