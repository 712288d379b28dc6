using Aggregator.Actors.Entries;
using Aggregator.Actors.Persistence;
using Aggregator.Actors.Sinks;
using Aggregator.Actors.Sinks.Aggregates;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Sinks;

/// <summary>Sink shards over a real SQLite file: journal, idempotency, aggregates, recovery after a crash, overload.</summary>
public sealed class SinkRegionTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);
    private readonly SinkFixture fixture = new();

    private static SinkSettings Fast => new()
    {
        Shards = 3,
        BatchSize = 64,
        BatchInterval = TimeSpan.FromMilliseconds(5),
        AggregateFlushInterval = TimeSpan.FromMilliseconds(50),
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await fixture.DisposeAsync();

    [Fact]
    public async Task Closed_entries_from_an_entry_region_are_journaled_and_aggregated()
    {
        await using var life = await fixture.StartAsync(Fast);
        var entries = EntryRegion.Start(life.System, life.Sinks.Ref);
        for (var i = 0; i < 500; i++)
            using (var entry = entries.Open("GetDucks", new Dictionary<string, string> { ["region"] = i % 2 == 0 ? "eu" : "us" }, entryId: $"e{i}"))
                entry.Set("latency", FieldValue.Of(i, FieldUnit.Milliseconds)).Add("ducks", 2);

        await life.WaitUntilAsync(() => life.Journaled == 500, "500 entries journaled");
        await life.WaitUntilAsync(() => life.Sinks.Snapshot().All(s => s.AggregateLag == 0), "aggregates flushed");

        Assert.Equal("GetDucks", (await life.Store.GetEntryAsync("e42"))!.Operation);
        var rows = await life.Store.GetAggregatesAsync("GetDucks", DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
        var byRegion = new AggregateQuery(["region"], [0.5]).Run(rows).Groups.ToDictionary(g => g.Dimensions["region"]);
        Assert.Equal(250, byRegion["eu"].Entries);
        Assert.Equal(250, byRegion["us"].Entries);
        var ducks = byRegion["eu"].Metrics.Single(m => m.Name == "ducks");
        Assert.Equal(500, ducks.Sum);
        var latency = byRegion["us"].Metrics.Single(m => m.Name == "latency");
        Assert.Equal(Enumerable.Range(0, 500).Where(i => i % 2 == 1).Sum(), latency.Sum);
    }

    [Fact]
    public async Task A_redelivered_entry_is_journaled_and_counted_once()
    {
        await using var life = await fixture.StartAsync(Fast);
        var entry = SinkFixture.Entry("dup", closedAt: Day.AddHours(10));
        life.Sinks.Ref.Tell(entry, null);
        await life.WaitUntilAsync(() => life.Journaled == 1, "the first delivery journaled");
        life.Sinks.Ref.Tell(entry, null);
        life.Sinks.Ref.Tell(entry, null);
        await life.WaitUntilAsync(() => life.Sinks.Snapshot().Sum(s => s.Duplicates) == 2, "both redeliveries seen as duplicates");
        await life.WaitUntilAsync(() => life.Sinks.Snapshot().All(s => s.AggregateLag == 0), "aggregates flushed");

        var group = Assert.Single(AggregateQuery.Default.Run(await life.Store.GetAggregatesAsync("Op", Day, Day.AddDays(1))).Groups);
        Assert.Equal(1, group.Entries);
        Assert.Equal(1, life.Journaled);
    }

    [Fact]
    public async Task After_a_crash_between_flushes_recovery_replays_the_journal_without_double_counting()
    {
        var sent = Enumerable.Range(0, 300).Select(i => SinkFixture.Entry($"e{i}", latency: i, rows: i, closedAt: Day.AddHours(10).AddSeconds(i))).ToList();

        // Life 1: the first 200 are journaled and their aggregates flushed; the next 100 are journaled, then a crash
        // before the next flush (the flush interval is far away).
        await using (var life = await fixture.StartAsync(Fast))
        {
            foreach (var entry in sent.Take(200)) life.Sinks.Ref.Tell(entry, null);
            await life.WaitUntilAsync(() => life.Journaled == 200, "200 journaled");
            await life.WaitUntilAsync(() => life.Sinks.Snapshot().All(s => s.AggregateLag == 0), "aggregates of 200 flushed");
            await life.CrashAsync();
        }
        await using (var life = await fixture.StartAsync(Fast with { AggregateFlushInterval = TimeSpan.FromHours(1) }))
        {
            await life.WaitUntilAsync(() => life.Sinks.Snapshot().All(s => s.Recovered), "recovered");
            foreach (var entry in sent.Skip(200)) life.Sinks.Ref.Tell(entry, null);
            foreach (var entry in sent.Take(10)) life.Sinks.Ref.Tell(entry, null); // redelivered after the crash
            await life.WaitUntilAsync(() => life.Journaled == 100, "100 more journaled");
            await life.CrashAsync();
        }

        // Life 3: replay folds the 100 journaled but never flushed; a clean stop flushes them.
        await using (var life = await fixture.StartAsync(Fast))
        {
            await life.WaitUntilAsync(() => life.Sinks.Snapshot().All(s => s.Recovered), "recovered");
            await life.WaitUntilAsync(() => life.Sinks.Snapshot().All(s => s.AggregateLag == 0), "aggregates flushed after replay");
            var stored = AggregateQuery.Default.Run(await life.Store.GetAggregatesAsync("Op", Day, Day.AddDays(1)));
            var scratch = new PartialAggregates();
            foreach (var entry in sent) scratch.Fold(entry, TimeSpan.FromMinutes(1));
            var expected = AggregateQuery.Default.Run(scratch.ToRows("scratch"));
            Assert.Equal(Summary(expected), Summary(stored));
            Assert.Equal(300, Summary(stored).Entries);
        }
    }

    [Fact]
    public async Task A_locked_store_fills_the_buffer_then_drops_counted_and_drains_in_order_when_it_returns()
    {
        var settings = Fast with { Shards = 1, BatchSize = 10, BufferCapacity = 50, RetryAttempts = 1, RetryDelay = TimeSpan.FromMilliseconds(10), BreakDuration = TimeSpan.FromMilliseconds(500) };
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
        for (var i = 0; i < 80; i++) life.Sinks.Ref.Tell(SinkFixture.Entry($"e{i:000}", closedAt: Day.AddHours(10).AddSeconds(i)), null);
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

    private static (long Entries, double LatencySum, double RowsSum, double LatencyMax) Summary(AggregateQueryResult result)
    {
        var group = Assert.Single(result.Groups);
        return (group.Entries,
            group.Metrics.Single(m => m.Name == "latency").Sum,
            group.Metrics.Single(m => m.Name == "rows").Sum,
            group.Metrics.Single(m => m.Name == "latency").Max);
    }
}
