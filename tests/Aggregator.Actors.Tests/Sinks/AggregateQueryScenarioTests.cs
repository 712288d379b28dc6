using Aggregator.Actors.Kernel.Dispatch;
using Aggregator.Actors.Persistence;
using Aggregator.Actors.Sinks;
using Aggregator.Actors.Sinks.Aggregates;
using Aggregator.Actors.Tests.Persistence;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Sinks;

/// <summary>
/// Aggregate queries against a running sink, over each real store: an entry counts as soon as it is journaled, not at
/// the next flush; a flush that is in flight, committed but unacknowledged, or committing between the query's reads of
/// the store is counted exactly once; a stopped shard is answered from the store and named; a damaged stored row is
/// skipped and reported instead of failing the query. Where a flush must be caught at a precise point, a
/// <see cref="GatedStore"/> holds it there; nothing waits on a timer and hopes.
/// </summary>
public abstract class AggregateQueryScenarioTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = ClosedEntries.Day;
    private static readonly TimeSpan Await = TimeSpan.FromSeconds(30);
    private ISinkFixture? fixture;

    /// <summary>Flushes only when a test tells a shard to.</summary>
    private static SinkSettings NoTimedFlush => SinkScenarioTests.Fast with { AggregateFlushInterval = TimeSpan.FromHours(1) };

    private ISinkFixture Fixture => fixture ??= CreateFixture();

    private protected abstract ISinkFixture CreateFixture();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (fixture is not null) await fixture.DisposeAsync();
    }

    [StoreFact]
    public async Task An_entry_journaled_but_not_flushed_yet_is_in_the_aggregates_at_once()
    {
        await using var life = await Fixture.StartAsync(NoTimedFlush);
        var sent = Sent(30, "n");
        foreach (var entry in sent) life.Sinks.Ref.Tell(entry, null);
        await life.WaitUntilAsync(() => life.Journaled == 30, "30 journaled");

        Assert.Empty(await life.Store.GetAggregatesAsync("Op", Day, Day.AddDays(1))); // nothing flushed
        var result = await QueryAsync(life);
        Assert.Equal(AggregateSummary.FromScratch(sent), AggregateSummary.Of(result));
        Assert.Empty(result.StoreOnlyShards);
        Assert.Empty(result.Warnings);
    }

    [StoreFact]
    public async Task A_flush_in_flight_or_committed_but_unacknowledged_is_counted_once()
    {
        GatedStore? gate = null;
        await using var life = await Fixture.StartAsync(NoTimedFlush with { Shards = 1 }, store => gate = new GatedStore(store));
        var sent = Sent(25, "f");
        foreach (var entry in sent.Take(20)) life.Sinks.Ref.Tell(entry, null);
        await life.WaitUntilAsync(() => life.Journaled == 20, "20 journaled");

        gate!.HoldSaves();
        Flush(life);
        await gate.SaveWaiting.WaitAsync(Await);
        Assert.Equal(AggregateSummary.FromScratch(sent.Take(20)), AggregateSummary.Of(await QueryAsync(life))); // in flight, not committed

        gate.ReleaseCommit();
        await gate.Committed.WaitAsync(Await);
        Assert.Equal(20, (await AggregateSummary.StoredAsync(life.Store)).Entries);
        Assert.Equal(AggregateSummary.FromScratch(sent.Take(20)), AggregateSummary.Of(await QueryAsync(life))); // committed, shard not told

        foreach (var entry in sent.Skip(20)) life.Sinks.Ref.Tell(entry, null);
        await life.WaitUntilAsync(() => life.Journaled == 25, "5 more journaled");
        Assert.Equal(AggregateSummary.FromScratch(sent), AggregateSummary.Of(await QueryAsync(life))); // stored + in flight + fresh

        gate.ReleaseAcknowledgement();
        await life.WaitUntilAsync(() => life.Sinks.Snapshot()[0].AggregateFlushes == 1, "the flush acknowledged");
        Assert.Equal(AggregateSummary.FromScratch(sent), AggregateSummary.Of(await QueryAsync(life)));
    }

    [StoreFact]
    public async Task A_flush_committing_between_the_query_reads_of_the_store_is_counted_once()
    {
        GatedStore? gate = null;
        await using var life = await Fixture.StartAsync(NoTimedFlush with { Shards = 1 }, store => gate = new GatedStore(store));
        var sent = Sent(30, "b");

        // The flush commits right after the query read the rows (without it): trusting the later snapshot would lose it.
        foreach (var entry in sent.Take(20)) life.Sinks.Ref.Tell(entry, null);
        await life.WaitUntilAsync(() => life.Journaled == 20, "20 journaled");
        await FlushDuringNextRowsReadAsync(life, gate!, commitBeforeRows: false);
        Assert.Equal(AggregateSummary.FromScratch(sent.Take(20)), AggregateSummary.Of(await QueryAsync(life)));
        await AcknowledgeAsync(life, gate!, flushes: 1);

        // The flush commits right before the query reads the rows (with it): trusting the earlier snapshot would count it twice.
        foreach (var entry in sent.Skip(20)) life.Sinks.Ref.Tell(entry, null);
        await life.WaitUntilAsync(() => life.Journaled == 30, "10 more journaled");
        await FlushDuringNextRowsReadAsync(life, gate!, commitBeforeRows: true);
        Assert.Equal(AggregateSummary.FromScratch(sent), AggregateSummary.Of(await QueryAsync(life)));
        await AcknowledgeAsync(life, gate!, flushes: 2);
        Assert.Equal(AggregateSummary.FromScratch(sent), await AggregateSummary.StoredAsync(life.Store));
    }

    /// <summary>
    /// Waves of entries, and after each wave many queries at once while every shard flushes every millisecond: each
    /// answer must equal the from-scratch aggregate of every entry sent so far (all journaled, so all either stored or
    /// pending). A part counted both from the store and from the shard, or neither, changes the count and the sums.
    /// </summary>
    [StoreFact]
    public async Task Queries_racing_flushes_always_equal_a_recomputation_from_the_entries()
    {
        await using var life = await Fixture.StartAsync(SinkScenarioTests.Fast with { AggregateFlushInterval = TimeSpan.FromMilliseconds(1) });
        var sent = new List<ClosedEntry>();
        for (var wave = 0; wave < 25; wave++)
        {
            var next = Enumerable.Range(sent.Count, 40).Select(i => ClosedEntries.Of($"s{i:0000}", latency: i % 97, rows: i, closedAt: Day.AddHours(10).AddSeconds(i))).ToList();
            sent.AddRange(next);
            foreach (var entry in next) life.Sinks.Ref.Tell(entry, null);
            await life.WaitUntilAsync(() => life.Journaled == sent.Count, $"{sent.Count} journaled");

            var expected = AggregateSummary.FromScratch(sent);
            var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => QueryAsync(life)));
            foreach (var answer in answers)
            {
                Assert.Empty(answer.StoreOnlyShards);
                Assert.Equal(expected, AggregateSummary.Of(answer));
            }
        }
        Assert.True(life.Sinks.Snapshot().Sum(s => s.AggregateFlushes) >= 25, "the shards flushed while the queries ran");
    }

    [StoreFact]
    public async Task A_stopped_shard_is_answered_from_the_store_and_named_without_waiting()
    {
        await using var life = await Fixture.StartAsync(NoTimedFlush);
        foreach (var entry in Sent(60, "x")) life.Sinks.Ref.Tell(entry, null);
        await life.WaitUntilAsync(() => life.Journaled == 60, "60 journaled");
        var lost = life.Sinks.Snapshot()[0].Journaled; // unflushed, and its shard is about to stop
        life.System.Stop(life.Sinks.Ref.Shards[0]);
        await life.WaitUntilAsync(() => life.Sinks.Ref.Shards[0] is InternalActorRef { IsTerminated: true }, "shard 0 stopped");

        var started = DateTime.UtcNow;
        var result = await QueryAsync(life);
        Assert.True(DateTime.UtcNow - started < life.Sinks.Settings.QueryTimeout, "a stopped shard is not waited for");
        Assert.Equal(["sink-0"], result.StoreOnlyShards);
        Assert.Contains(result.Warnings, w => w.Contains("sink-0", StringComparison.Ordinal));
        Assert.Equal(60 - lost, result.Groups.Sum(g => g.Entries));
    }

    [StoreFact]
    public async Task A_damaged_stored_aggregate_is_skipped_and_reported_with_its_location_not_thrown()
    {
        await using var life = await Fixture.StartAsync(SinkScenarioTests.Fast with { Shards = 1 });
        var at10 = Enumerable.Range(0, 4).Select(i => ClosedEntries.Of($"a{i}", closedAt: Day.AddHours(10).AddSeconds(30)));
        var at11 = Enumerable.Range(0, 6).Select(i => ClosedEntries.Of($"b{i}", closedAt: Day.AddHours(11).AddSeconds(30))).ToList();
        var at12 = Enumerable.Range(0, 3).Select(i => ClosedEntries.Of($"c{i}", closedAt: Day.AddHours(12).AddSeconds(30)));
        foreach (var entry in at10.Concat(at11).Concat(at12)) life.Sinks.Ref.Tell(entry, null);
        await life.WaitUntilAsync(() => life.Journaled == 13 && life.Sinks.Snapshot().All(s => s.AggregateLag == 0), "13 journaled and flushed");

        Assert.Equal(1, await Fixture.DamageAggregateDimensionsAsync(Day.AddHours(10)));
        Assert.Equal(1, await Fixture.DamageAggregateStateAsync(Day.AddHours(12)));

        var result = await QueryAsync(life);
        Assert.Equal(AggregateSummary.FromScratch(at11), AggregateSummary.Of(result));
        Assert.Equal(2, result.Corrupt.Count);
        var unreadable = Assert.Single(result.Corrupt, c => c.Key.WindowStart == Day.AddHours(10));
        Assert.StartsWith(life.Store.Name + ":aggregates(", unreadable.Location);
        var undecodable = Assert.Single(result.Corrupt, c => c.Key.WindowStart == Day.AddHours(12));
        Assert.Equal("sink-0", undecodable.PersistenceId);
        Assert.Contains("persistence_id=sink-0", undecodable.Location, StringComparison.Ordinal);
        Assert.Equal(2, result.Warnings.Count);
        Assert.Equal(2, life.Sinks.QueryStats.SkippedAggregateRows);

        // The widest range narrows down to the same window.
        var everything = await life.Sinks.Queries.GetAggregatesAsync("Op", DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
        Assert.Equal(AggregateSummary.FromScratch(at11), AggregateSummary.Of(everything));
        Assert.Equal([Day.AddHours(10), Day.AddHours(12)], everything.Corrupt.Select(c => c.Key.WindowStart).Order());
    }

    private static List<ClosedEntry> Sent(int count, string prefix) =>
        Enumerable.Range(0, count).Select(i => ClosedEntries.Of($"{prefix}{i:000}", latency: i + 1, rows: i, closedAt: Day.AddHours(10).AddSeconds(i))).ToList();

    private static Task<AggregateQueryResult> QueryAsync(SinkLife life) => life.Sinks.Queries.GetAggregatesAsync("Op", Day, Day.AddDays(1));

    private static void Flush(SinkLife life) => life.Sinks.Ref.Shards[0].Tell(FlushAggregatesTick.Instance, null);

    /// <summary>Starts a flush, holds it before its commit, and lets it commit inside the next read of the rows (before or after it).</summary>
    private static async Task FlushDuringNextRowsReadAsync(SinkLife life, GatedStore gate, bool commitBeforeRows)
    {
        gate.HoldSaves();
        Flush(life);
        await gate.SaveWaiting.WaitAsync(Await);
        async Task Commit()
        {
            gate.ReleaseCommit();
            await gate.Committed.WaitAsync(Await);
        }
        if (commitBeforeRows) gate.AroundNextRowsRead(before: Commit);
        else gate.AroundNextRowsRead(after: Commit);
    }

    private static async Task AcknowledgeAsync(SinkLife life, GatedStore gate, int flushes)
    {
        gate.ReleaseAcknowledgement();
        await life.WaitUntilAsync(() => life.Sinks.Snapshot()[0].AggregateFlushes == flushes, $"flush {flushes} acknowledged");
    }
}
