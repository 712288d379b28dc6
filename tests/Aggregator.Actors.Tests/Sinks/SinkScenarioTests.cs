using Aggregator.Actors.Entries;
using Aggregator.Actors.Sinks;
using Aggregator.Actors.Sinks.Aggregates;
using Aggregator.Actors.Tests.Persistence;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Sinks;

/// <summary>
/// What sink shards must do over any store, run for real against each (a SQLite file; PostgreSQL started by
/// ./scripts/test.sh): journal and aggregate what an entry region closes, count a redelivered entry once, and after a
/// crash between aggregate flushes recover from the journal without double counting. A store's class derives from this
/// and says which <see cref="ISinkFixture"/> to run over. Tests are declared [StoreFact] (plain [Fact] unless the
/// derived class is marked [RequiresService], which skips them when that service is absent; see ServiceFactAttribute.cs).
/// What only one store can show (a locked file, a session killed mid-batch, a server stopped) is in its own class.
/// </summary>
public abstract class SinkScenarioTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = ClosedEntries.Day;
    private ISinkFixture? fixture;

    /// <summary>Settings that batch, flush and so finish a scenario in milliseconds.</summary>
    internal static SinkSettings Fast => new()
    {
        Shards = 3,
        BatchSize = 64,
        BatchInterval = TimeSpan.FromMilliseconds(5),
        AggregateFlushInterval = TimeSpan.FromMilliseconds(50),
    };

    /// <summary>Created on first use, so a skipped test never touches the service.</summary>
    private ISinkFixture Fixture => fixture ??= CreateFixture();

    /// <summary>New, empty storage of the store under test.</summary>
    private protected abstract ISinkFixture CreateFixture();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (fixture is not null) await fixture.DisposeAsync();
    }

    [StoreFact]
    public async Task The_queries_answer_by_id_by_page_and_with_grouped_aggregates_and_quantiles()
    {
        await using var life = await Fixture.StartAsync(Fast);
        for (var i = 0; i < 120; i++)
            life.Sinks.Ref.Tell(ClosedEntries.Of($"q{i:000}", latency: i + 1, region: i < 40 ? "eu" : "us", closedAt: Day.AddHours(10).AddSeconds(i)), null);
        await life.WaitUntilAsync(() => life.Journaled == 120, "120 journaled");
        await life.WaitUntilAsync(() => life.Sinks.Snapshot().All(s => s.AggregateLag == 0), "aggregates flushed");
        var queries = life.Sinks.Queries;

        Assert.Equal("q007", (await queries.GetEntryAsync("q007"))!.Id);
        Assert.Null(await queries.GetEntryAsync("nope"));
        var ids = new List<string>();
        string? after = null;
        do
        {
            var page = await queries.GetEntriesAsync(new Aggregator.Actors.Persistence.EntryQuery("Op", Day, Day.AddDays(1), Limit: 50, After: after));
            ids.AddRange(page.Entries.Select(e => e.Id));
            after = page.Next;
        } while (after is not null);
        Assert.Equal(Enumerable.Range(0, 120).Select(i => $"q{i:000}"), ids);

        var result = await queries.GetAggregatesAsync("Op", Day, Day.AddDays(1), groupBy: ["region"], quantiles: [0.5, 0.99]);
        Assert.Empty(result.Corrupt);
        var us = result.Groups.Single(g => g.Dimensions["region"] == "us");
        Assert.Equal(80, us.Entries);
        var latency = us.Metrics.Single(m => m.Name == "latency");
        Assert.Equal((41.0, 120.0), (latency.Min, latency.Max));
        Assert.InRange(latency.Quantiles[0].Value, 80 * 0.99, 81 * 1.01);
        Assert.InRange(latency.Quantiles[1].Value, 119 * 0.99, 120 * 1.01);
        await Assert.ThrowsAsync<ArgumentException>(() => queries.GetAggregatesAsync("Op", Day, Day));
    }

    [StoreFact]
    public async Task An_unreadable_journal_row_is_skipped_and_reported_and_every_other_entry_still_pages_through()
    {
        await using var life = await Fixture.StartAsync(Fast);
        for (var i = 0; i < 30; i++) life.Sinks.Ref.Tell(ClosedEntries.Of($"p{i:000}", closedAt: Day.AddHours(10).AddSeconds(i)), null);
        await life.WaitUntilAsync(() => life.Journaled == 30, "30 journaled");
        await Fixture.DamageEntryAsync("p006"); // the last of the first page of 7
        await Fixture.DamageEntryAsync("p007"); // the row a page of 7 reads to know whether more follow
        await Fixture.DamageEntryAsync("p020");
        var queries = life.Sinks.Queries;

        var ids = new List<string>();
        var skipped = new List<SkippedEntries>();
        string? after = null;
        do
        {
            var page = await queries.GetEntriesAsync(new Aggregator.Actors.Persistence.EntryQuery("Op", Day, Day.AddDays(1), Limit: 7, After: after));
            Assert.InRange(page.Entries.Count, 0, 7);
            ids.AddRange(page.Entries.Select(e => e.Id));
            skipped.AddRange(page.Skipped);
            after = page.Next;
        } while (after is not null);

        Assert.Equal(Enumerable.Range(0, 30).Where(i => i is not (6 or 7 or 20)).Select(i => $"p{i:000}"), ids);
        Assert.Equal([Day.AddHours(10).AddSeconds(6), Day.AddHours(10).AddSeconds(7), Day.AddHours(10).AddSeconds(20)], skipped.Select(s => s.From).Distinct());
        Assert.All(skipped, s => Assert.StartsWith(life.Store.Name + ":journal(operation=Op,", s.Location));
        Assert.All(skipped, s => Assert.True(s.To - s.From <= TimeSpan.FromMicroseconds(2)));
        Assert.Contains(skipped, s => s.Reason.Contains("sequence_nr=", StringComparison.Ordinal));
        Assert.Equal(skipped.Count, life.Sinks.QueryStats.SkippedEntrySpans);
        var widest = await queries.GetEntriesAsync(new Aggregator.Actors.Persistence.EntryQuery("Op", DateTimeOffset.MinValue, DateTimeOffset.MaxValue, Limit: 1000));
        Assert.Equal(ids, widest.Entries.Select(e => e.Id));
        Assert.Equal(3, widest.Skipped.Count);
        var single = await Assert.ThrowsAsync<InvalidDataException>(() => queries.GetEntryAsync("p020"));
        Assert.Contains("journal", single.Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Closed_entries_from_an_entry_region_are_journaled_and_aggregated()
    {
        await using var life = await Fixture.StartAsync(Fast);
        var entries = EntryRegion.Start(life.System, life.Sinks.Ref);
        for (var i = 0; i < 500; i++)
            using (var entry = entries.Open("GetDucks", new Dictionary<string, string> { ["region"] = i % 2 == 0 ? "eu" : "us" }, entryId: $"e{i}"))
                entry.Set("latency", FieldValue.Of(i, FieldUnit.Milliseconds)).Add("ducks", 2);

        await life.WaitUntilAsync(() => life.Journaled == 500, "500 entries journaled");
        await life.WaitUntilAsync(() => life.Sinks.Snapshot().All(s => s.AggregateLag == 0), "aggregates flushed");

        Assert.Equal("GetDucks", (await life.Store.GetEntryAsync("e42"))!.Operation);
        Assert.Equal(500L, await Fixture.JournalRowsAsync());
        var rows = await life.Store.GetAggregatesAsync("GetDucks", DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
        var byRegion = new AggregateQuery(["region"], [0.5]).Run(rows).Groups.ToDictionary(g => g.Dimensions["region"]);
        Assert.Equal(250, byRegion["eu"].Entries);
        Assert.Equal(250, byRegion["us"].Entries);
        Assert.Equal(500, byRegion["eu"].Metrics.Single(m => m.Name == "ducks").Sum);
        Assert.Equal(Enumerable.Range(0, 500).Where(i => i % 2 == 1).Sum(), byRegion["us"].Metrics.Single(m => m.Name == "latency").Sum);
    }

    [StoreFact]
    public async Task A_redelivered_entry_is_journaled_and_counted_once()
    {
        await using var life = await Fixture.StartAsync(Fast);
        var entry = ClosedEntries.Of("dup", closedAt: Day.AddHours(10));
        life.Sinks.Ref.Tell(entry, null);
        await life.WaitUntilAsync(() => life.Journaled == 1, "the first delivery journaled");
        life.Sinks.Ref.Tell(entry, null);
        life.Sinks.Ref.Tell(entry, null);
        await life.WaitUntilAsync(() => life.Sinks.Snapshot().Sum(s => s.Duplicates) == 2, "both redeliveries seen as duplicates");
        await life.WaitUntilAsync(() => life.Sinks.Snapshot().All(s => s.AggregateLag == 0), "aggregates flushed");

        Assert.Equal(1, (await AggregateSummary.StoredAsync(life.Store)).Entries);
        Assert.Equal(1, life.Journaled);
        Assert.Equal(1L, await Fixture.JournalRowsAsync());
    }

    [StoreFact]
    public async Task After_a_crash_between_flushes_recovery_replays_the_journal_without_double_counting()
    {
        var sent = Enumerable.Range(0, 300).Select(i => ClosedEntries.Of($"e{i}", latency: i, rows: i, closedAt: Day.AddHours(10).AddSeconds(i))).ToList();

        // Life 1: the first 200 are journaled and their aggregates flushed, then a crash.
        await using (var life = await Fixture.StartAsync(Fast))
        {
            foreach (var entry in sent.Take(200)) life.Sinks.Ref.Tell(entry, null);
            await life.WaitUntilAsync(() => life.Journaled == 200, "200 journaled");
            await life.WaitUntilAsync(() => life.Sinks.Snapshot().All(s => s.AggregateLag == 0), "aggregates of 200 flushed");
            await life.CrashAsync();
        }
        // Life 2: 100 more journaled (and 10 redelivered), then a crash before the next flush (an hour away).
        await using (var life = await Fixture.StartAsync(Fast with { AggregateFlushInterval = TimeSpan.FromHours(1) }))
        {
            await life.WaitUntilAsync(() => life.Sinks.Snapshot().All(s => s.Recovered), "recovered");
            foreach (var entry in sent.Skip(200)) life.Sinks.Ref.Tell(entry, null);
            foreach (var entry in sent.Take(10)) life.Sinks.Ref.Tell(entry, null);
            await life.WaitUntilAsync(() => life.Journaled == 100 && life.Sinks.Snapshot().Sum(s => s.Duplicates) == 10, "100 more journaled, 10 duplicates");
            await life.CrashAsync();
        }

        // Life 3: replay folds the 100 journaled but never flushed.
        await using (var life = await Fixture.StartAsync(Fast))
        {
            await life.WaitUntilAsync(() => life.Sinks.Snapshot().All(s => s.Recovered), "recovered");
            await life.WaitUntilAsync(() => life.Sinks.Snapshot().All(s => s.AggregateLag == 0), "aggregates flushed after replay");
            var stored = await AggregateSummary.StoredAsync(life.Store);
            Assert.Equal(AggregateSummary.FromScratch(sent), stored);
            Assert.Equal(300, stored.Entries);
        }
    }
}
