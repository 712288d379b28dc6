using Aggregator.Actors.Persistence;

namespace Aggregator.Actors.Tests.Sinks;

/// <summary>
/// What only the SQLite store can show about the sinks (the shared scenarios are in <see cref="SinkScenarioTests"/>):
/// another process holding the file's write lock is an outage the shard must ride out.
/// </summary>
public sealed class SqliteSinkTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = ClosedEntries.Day;
    private readonly SqliteSinkFixture fixture = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await fixture.DisposeAsync();

    [Fact]
    public async Task An_aggregate_flush_whose_acknowledgement_was_lost_is_not_merged_twice()
    {
        var store = new Aggregator.Actors.Persistence.Sqlite.SqliteSinkStore(fixture.DatabasePath);
        await using var life = await SinkLife.StartAsync(store, SinkScenarioTests.Fast with { Shards = 1 }, new LostAcknowledgementStore(store, LostCall.SaveAggregates));
        for (var i = 0; i < 50; i++) life.Sinks.Ref.Tell(ClosedEntries.Of($"f{i}", closedAt: Day.AddHours(10)), null);
        await life.WaitUntilAsync(() => life.Journaled == 50, "50 journaled");
        await life.WaitUntilAsync(() => life.Sinks.Snapshot().All(s => s.AggregateLag == 0), "aggregates flushed");

        var result = await life.Sinks.Queries.GetAggregatesAsync("Op", Day, Day.AddDays(1));
        Assert.Equal(50, Assert.Single(result.Groups).Entries);
    }

    [Fact]
    public async Task A_damaged_stored_aggregate_is_reported_and_replaced_instead_of_blocking_every_flush()
    {
        await using (var life = await fixture.StartAsync(SinkScenarioTests.Fast with { Shards = 1 }))
        {
            for (var i = 0; i < 10; i++) life.Sinks.Ref.Tell(ClosedEntries.Of($"a{i}", closedAt: Day.AddHours(10)), null);
            await life.WaitUntilAsync(() => life.Journaled == 10 && life.Sinks.Snapshot().All(s => s.AggregateLag == 0), "10 journaled and flushed");
        }
        await using (var damage = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={fixture.DatabasePath}"))
        {
            await damage.OpenAsync();
            await using var update = damage.CreateCommand();
            update.CommandText = "UPDATE aggregates SET dimensions = '{not json'";
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        await using (var life = await fixture.StartAsync(SinkScenarioTests.Fast with { Shards = 1 }))
        {
            for (var i = 0; i < 5; i++) life.Sinks.Ref.Tell(ClosedEntries.Of($"b{i}", closedAt: Day.AddHours(10)), null);
            await life.WaitUntilAsync(() => life.Journaled == 5 && life.Sinks.Snapshot().All(s => s.AggregateLag == 0), "5 more journaled and flushed");
            Assert.Equal(1, life.Sinks.Snapshot()[0].CorruptRows);
            var result = await life.Sinks.Queries.GetAggregatesAsync("Op", Day, Day.AddDays(1));
            Assert.Equal(5, Assert.Single(result.Groups).Entries); // the damaged row's 10 are lost, and counted as corrupt
        }
    }

    [Fact]
    public async Task A_locked_store_fills_the_buffer_then_drops_counted_and_drains_in_order_when_it_returns()
    {
        var settings = SinkScenarioTests.Fast with { Shards = 1, BatchSize = 10, BufferCapacity = 50, RetryAttempts = 1, RetryDelay = TimeSpan.FromMilliseconds(10), BreakDuration = TimeSpan.FromMilliseconds(500) };
        await using var life = await fixture.StartAsync(settings, busyTimeout: TimeSpan.FromMilliseconds(100));
        await life.WaitUntilAsync(() => life.Sinks.Snapshot().All(s => s.Recovered), "recovered");

        // Another process holds SQLite's write lock: every write of the shard fails (busy) until it lets go.
        await using var blocker = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={fixture.DatabasePath};Default Timeout=1");
        await blocker.OpenAsync();
        await using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            await begin.ExecuteNonQueryAsync();
        }
        for (var i = 0; i < 80; i++) life.Sinks.Ref.Tell(ClosedEntries.Of($"e{i:000}", closedAt: Day.AddHours(10).AddSeconds(i)), null);
        await life.WaitUntilAsync(() => life.Sinks.Snapshot()[0].Dropped == 30, "30 entries beyond the buffer dropped and counted");
        Assert.True(life.Sinks.IsOverloaded);
        Assert.False(life.Sinks.Accepts("e999"));
        await life.WaitUntilAsync(() => life.Sinks.Snapshot()[0].WriteFailures > 0, "a write failed");

        await using (var rollback = blocker.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }
        await life.WaitUntilAsync(() => life.Journaled == 50, "the buffer drained once the store came back");
        Assert.False(life.Sinks.IsOverloaded);
        var page = await life.Store.GetEntriesAsync(new EntryQuery("Op", Day, Day.AddDays(1), Limit: 100));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"e{i:000}"), page.Entries.Select(e => e.Id));
    }
}
