using Aggregator.Actors.Sinks;
using Aggregator.Actors.Tests.Persistence;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Sinks;

/// <summary>
/// What only the PostgreSQL store can show about the sinks (the shared scenarios are in <see cref="SinkScenarioTests"/>):
/// a crash while a large batch is being written, and a committed write whose acknowledgement was lost. A schema per
/// test, dropped afterwards; skipped with the reason when AGGREGATOR_TEST_POSTGRES is not set.
/// </summary>
public sealed class PostgresSinkTests : IAsyncLifetime
{
    private const string Postgres = PostgresSinkFixture.EnvironmentVariable;
    private static readonly DateTimeOffset Day = ClosedEntries.Day;
    private readonly PostgresSinkFixture fixture = new();

    private static SinkSettings Fast => SinkScenarioTests.Fast;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (RequiresServiceAttribute.SkipReason(Postgres) is null) await fixture.DisposeAsync();
    }

    [ServiceFact(Postgres)]
    public async Task A_crash_while_a_large_batch_is_written_loses_nothing_and_full_redelivery_counts_every_entry_once()
    {
        var settings = Fast with { Shards = 1, BatchSize = 5_000, BufferCapacity = 20_000, AggregateFlushInterval = TimeSpan.FromMilliseconds(200) };
        var sent = Enumerable.Range(0, 20_000).Select(i => ClosedEntries.Of($"e{i:00000}", latency: i % 500, rows: i, closedAt: Day.AddHours(10).AddMilliseconds(i * 10))).ToList();

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
            Assert.Equal(AggregateSummary.FromScratch(sent), await AggregateSummary.StoredAsync(life.Store));
        }
    }

    [ServiceFact(Postgres)]
    public async Task A_batch_committed_whose_acknowledgement_was_lost_is_counted_once_not_dropped_from_the_aggregates()
    {
        // A short break: one failure after the one successful call of recovery already opens the circuit.
        var settings = Fast with { Shards = 1, BatchSize = 50, RetryAttempts = 0, BreakDuration = TimeSpan.FromMilliseconds(500) };
        var sent = Enumerable.Range(0, 100).Select(i => ClosedEntries.Of($"e{i:000}", latency: i, rows: i, closedAt: Day.AddHours(10).AddSeconds(i))).ToList();
        await using var life = await fixture.StartAsync(settings, store => new LostAcknowledgementStore(store));
        await life.WaitUntilAsync(() => life.Sinks.Snapshot().All(s => s.Recovered), "recovered");

        foreach (var entry in sent) life.Sinks.Ref.Tell(entry, null);
        await life.WaitUntilAsync(() => life.Sinks.Snapshot()[0] is { Received: 100, Buffered: 0, AggregateLag: 0 }, "everything written and flushed");

        var shard = life.Sinks.Snapshot()[0];
        Assert.True(shard.WriteFailures > 0);
        Assert.Equal((100L, 0L), (shard.Journaled, shard.Duplicates));

        var journal = await fixture.JournalAsync("sink-0");
        Assert.Equal(sent.Select(e => e.Id), journal.Select(r => r.EntryId));
        Assert.Equal(AggregateSummary.FromScratch(sent), await AggregateSummary.StoredAsync(life.Store));
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
}
