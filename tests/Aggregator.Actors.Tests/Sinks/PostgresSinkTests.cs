using Aggregator.Actors.Entries;
using Aggregator.Actors.Sinks;
using Aggregator.Actors.Sinks.Aggregates;
using Aggregator.Actors.Tests.Persistence;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Sinks;

/// <summary>
/// <see cref="SinkRegionTests"/> over the real PostgreSQL store (a schema per test, dropped afterwards): journal,
/// idempotency, aggregates, recovery after a crash between flushes, and a crash while a large batch is being written.
/// Skipped with the reason when AGGREGATOR_TEST_POSTGRES is not set.
/// </summary>
public sealed class PostgresSinkTests : IAsyncLifetime
{
    private const string Postgres = PostgresSinkFixture.EnvironmentVariable;
    private static readonly DateTimeOffset Day = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);
    private readonly PostgresSinkFixture fixture = new();

    private static SinkSettings Fast => new()
    {
        Shards = 3,
        BatchSize = 64,
        BatchInterval = TimeSpan.FromMilliseconds(5),
        AggregateFlushInterval = TimeSpan.FromMilliseconds(50),
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (RequiresServiceAttribute.SkipReason(Postgres) is null) await fixture.DisposeAsync();
    }

    [ServiceFact(Postgres)]
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
        Assert.Equal(500L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM \"{fixture.Schema}\".journal"));
        var rows = await life.Store.GetAggregatesAsync("GetDucks", DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
        var byRegion = new AggregateQuery(["region"], [0.5]).Run(rows).Groups.ToDictionary(g => g.Dimensions["region"]);
        Assert.Equal(250, byRegion["eu"].Entries);
        Assert.Equal(250, byRegion["us"].Entries);
        Assert.Equal(500, byRegion["eu"].Metrics.Single(m => m.Name == "ducks").Sum);
        Assert.Equal(Enumerable.Range(0, 500).Where(i => i % 2 == 1).Sum(), byRegion["us"].Metrics.Single(m => m.Name == "latency").Sum);
    }

    [ServiceFact(Postgres)]
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
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM \"{fixture.Schema}\".journal"));
    }

    [ServiceFact(Postgres)]
    public async Task After_a_crash_between_flushes_recovery_replays_the_journal_without_double_counting()
    {
        var sent = Enumerable.Range(0, 300).Select(i => SinkFixture.Entry($"e{i}", latency: i, rows: i, closedAt: Day.AddHours(10).AddSeconds(i))).ToList();

        // Life 1: the first 200 are journaled and their aggregates flushed, then a crash.
        await using (var life = await fixture.StartAsync(Fast))
        {
            foreach (var entry in sent.Take(200)) life.Sinks.Ref.Tell(entry, null);
            await life.WaitUntilAsync(() => life.Journaled == 200, "200 journaled");
            await life.WaitUntilAsync(() => life.Sinks.Snapshot().All(s => s.AggregateLag == 0), "aggregates of 200 flushed");
            await life.CrashAsync();
        }
        // Life 2: 100 more journaled (and 10 redelivered), then a crash before the next flush (an hour away).
        await using (var life = await fixture.StartAsync(Fast with { AggregateFlushInterval = TimeSpan.FromHours(1) }))
        {
            await life.WaitUntilAsync(() => life.Sinks.Snapshot().All(s => s.Recovered), "recovered");
            foreach (var entry in sent.Skip(200)) life.Sinks.Ref.Tell(entry, null);
            foreach (var entry in sent.Take(10)) life.Sinks.Ref.Tell(entry, null);
            await life.WaitUntilAsync(() => life.Journaled == 100 && life.Sinks.Snapshot().Sum(s => s.Duplicates) == 10, "100 more journaled, 10 duplicates");
            await life.CrashAsync();
        }

        // Life 3: replay folds the 100 journaled but never flushed.
        await using (var life = await fixture.StartAsync(Fast))
        {
            await life.WaitUntilAsync(() => life.Sinks.Snapshot().All(s => s.Recovered), "recovered");
            await life.WaitUntilAsync(() => life.Sinks.Snapshot().All(s => s.AggregateLag == 0), "aggregates flushed after replay");
            Assert.Equal(Summary(FromScratch(sent)), Summary(await StoredAsync(life)));
            Assert.Equal(300, Summary(await StoredAsync(life)).Entries);
        }
    }

    [ServiceFact(Postgres)]
    public async Task A_crash_while_a_large_batch_is_written_loses_nothing_and_full_redelivery_counts_every_entry_once()
    {
        var settings = Fast with { Shards = 1, BatchSize = 5_000, BufferCapacity = 20_000, AggregateFlushInterval = TimeSpan.FromMilliseconds(200) };
        var sent = Enumerable.Range(0, 20_000).Select(i => SinkFixture.Entry($"e{i:00000}", latency: i % 500, rows: i, closedAt: Day.AddHours(10).AddMilliseconds(i * 10))).ToList();

        // Life 1: one batch of 5,000 goes in. Then another session holds the journal locked, so the next batch of
        // 5,000 (15,000 queued behind it) is caught in the middle of its write: copied, waiting to be inserted.
        await using (var life = await fixture.StartAsync(settings))
        {
            foreach (var entry in sent.Take(5_000)) life.Sinks.Ref.Tell(entry, null);
            await life.WaitUntilAsync(() => life.Journaled == 5_000, "the first batch journaled");

            await using var locker = new Npgsql.NpgsqlConnection(PostgresSinkFixture.ConnectionString);
            await locker.OpenAsync();
            await using var lockTransaction = await locker.BeginTransactionAsync();
            await using (var lockJournal = new Npgsql.NpgsqlCommand($"LOCK TABLE \"{fixture.Schema}\".journal IN EXCLUSIVE MODE", locker, lockTransaction))
                await lockJournal.ExecuteNonQueryAsync();

            foreach (var entry in sent.Skip(5_000)) life.Sinks.Ref.Tell(entry, null);
            await WaitForAsync(async () => await fixture.ScalarAsync<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'", fixture.ApplicationName) == 1,
                "a batch write waiting on the journal lock");
            await life.WaitUntilAsync(() => life.Sinks.Snapshot()[0].Received == 20_000, "all 20,000 received");

            // The crash: the shard is gone and its sessions with it, mid-write, as when the process dies.
            await life.CrashAsync();
            await fixture.KillSessionsAsync();
            await lockTransaction.RollbackAsync();
        }
        Assert.Equal(5_000L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM \"{fixture.Schema}\".journal"));

        // Life 2: recovery, then everything is delivered again: only the 15,000 lost are journaled and counted.
        await using (var life = await fixture.StartAsync(settings))
        {
            await life.WaitUntilAsync(() => life.Sinks.Snapshot().All(s => s.Recovered), "recovered");
            foreach (var entry in sent) life.Sinks.Ref.Tell(entry, null);
            await life.WaitUntilAsync(() => life.Journaled == 15_000 && life.Sinks.Snapshot()[0].Duplicates == 5_000, "15,000 journaled, 5,000 duplicates");
            await life.WaitUntilAsync(() => life.Sinks.Snapshot().All(s => s.AggregateLag == 0), "aggregates flushed");

            var journal = await fixture.JournalAsync("sink-0");
            Assert.Equal(sent.Select(e => e.Id), journal.Select(r => r.EntryId).Order(StringComparer.Ordinal));
            Assert.Equal(journal.Count, journal.Select(r => r.SequenceNr).Distinct().Count());
            Assert.Equal(Summary(FromScratch(sent)), Summary(await StoredAsync(life)));
        }
    }

    [ServiceFact(Postgres)]
    public async Task A_batch_committed_whose_acknowledgement_was_lost_is_counted_once_not_dropped_from_the_aggregates()
    {
        // A short break: one failure after the one successful call of recovery already opens the circuit.
        var settings = Fast with { Shards = 1, BatchSize = 50, RetryAttempts = 0, BreakDuration = TimeSpan.FromMilliseconds(500) };
        var sent = Enumerable.Range(0, 100).Select(i => SinkFixture.Entry($"e{i:000}", latency: i, rows: i, closedAt: Day.AddHours(10).AddSeconds(i))).ToList();
        await using var life = await fixture.StartAsync(settings, store => new PostgresLostAcknowledgement(store));
        await life.WaitUntilAsync(() => life.Sinks.Snapshot().All(s => s.Recovered), "recovered");

        foreach (var entry in sent) life.Sinks.Ref.Tell(entry, null);
        await life.WaitUntilAsync(() => life.Sinks.Snapshot()[0] is { Received: 100, Buffered: 0, AggregateLag: 0 }, "everything written and flushed");

        var shard = life.Sinks.Snapshot()[0];
        Assert.True(shard.WriteFailures > 0);
        Assert.Equal((100L, 0L), (shard.Journaled, shard.Duplicates));

        var journal = await fixture.JournalAsync("sink-0");
        Assert.Equal(sent.Select(e => e.Id), journal.Select(r => r.EntryId));
        Assert.Equal(Summary(FromScratch(sent)), Summary(await StoredAsync(life)));
    }

    private async Task<AggregateQueryResult> StoredAsync(PostgresSinkFixture.Life life) =>
        AggregateQuery.Default.Run(await life.Store.GetAggregatesAsync("Op", Day, Day.AddDays(1)));

    private static AggregateQueryResult FromScratch(IEnumerable<ClosedEntry> entries)
    {
        var scratch = new PartialAggregates();
        foreach (var entry in entries) scratch.Fold(entry, TimeSpan.FromMinutes(1));
        return AggregateQuery.Default.Run(scratch.ToRows("scratch"));
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(10);
        }
    }

    private static (long Entries, double LatencySum, double RowsSum, double LatencyMax, double RowsMin) Summary(AggregateQueryResult result)
    {
        var group = Assert.Single(result.Groups);
        return (group.Entries,
            group.Metrics.Single(m => m.Name == "latency").Sum,
            group.Metrics.Single(m => m.Name == "rows").Sum,
            group.Metrics.Single(m => m.Name == "latency").Max,
            group.Metrics.Single(m => m.Name == "rows").Min);
    }
}
