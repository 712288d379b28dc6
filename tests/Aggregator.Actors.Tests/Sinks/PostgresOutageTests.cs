using Aggregator.Tests.Shared;
using Aggregator.Actors.Sinks;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Sinks;

/// <summary>
/// Tests that stop the shared PostgreSQL server. Every other test of the assembly that uses it would fail meanwhile,
/// so these run in a collection of their own that xunit runs alone, after the parallel ones.
/// (Test projects other than this one are separate processes and are not covered; see TestServiceTests.)
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PostgresOutageCollection
{
    public const string Name = "PostgreSQL outage (runs alone)";
}

/// <summary>A fact that stops and restarts PostgreSQL: skipped with the reason unless test.sh exported how to.</summary>
public sealed class PostgresOutageFactAttribute : FactAttribute
{
    public PostgresOutageFactAttribute()
    {
        Skip = PostgresServerControl.SkipReason();
    }
}

/// <summary>
/// The store outage of issue 4 for real: PostgreSQL is stopped while a sink shard is under load and started again.
/// The shard must buffer up to its capacity, then drop with a count, open its breaker, show all of it in
/// <see cref="SinkRegion.Snapshot"/> and <see cref="SinkRegion.Accepts"/>, and once the server is back drain the buffer
/// in order, journaling every accepted entry exactly once. The server is restarted in a finally, whatever happens.
/// </summary>
[Collection(PostgresOutageCollection.Name)]
public sealed class PostgresOutageTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = ClosedEntries.Day;
    private readonly PostgresSinkFixture fixture = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (PostgresServerControl.SkipReason() is null) await fixture.DisposeAsync();
    }

    [PostgresOutageFact]
    public async Task Stopping_postgres_under_load_buffers_drops_counted_opens_the_breaker_and_after_restart_drains_in_order()
    {
        const int capacity = 200;
        var settings = new SinkSettings
        {
            Shards = 1,
            BatchSize = 10,
            BatchInterval = TimeSpan.FromMilliseconds(5),
            AggregateFlushInterval = TimeSpan.FromMilliseconds(50),
            BufferCapacity = capacity,
            RetryAttempts = 1,
            RetryDelay = TimeSpan.FromMilliseconds(10),
            BreakDuration = TimeSpan.FromMilliseconds(500),
        };
        var sent = Enumerable.Range(0, 450).Select(i => ClosedEntries.Of($"e{i:000}", latency: i, rows: i, closedAt: Day.AddHours(10).AddSeconds(i))).ToList();
        await using var life = await fixture.StartAsync(settings);
        SinkShardSnapshot Shard() => life.Sinks.Snapshot()[0];
        var down = false;
        try
        {
            await life.WaitUntilAsync(() => Shard().Recovered, "recovered");

            // Load: 100 entries on their way to the journal in batches of 10 when the server goes down.
            foreach (var entry in sent.Take(100)) life.Sinks.Ref.Tell(entry, null);
            await life.WaitUntilAsync(() => Shard().Journaled >= 10, "the load reaching the journal");
            down = true;
            await PostgresServerControl.StopAsync();
            // Whatever was in flight has landed or failed (writes are one at a time): from here nothing leaves the buffer.
            await life.WaitUntilAsync(() => Shard().Journaled == 100 || Shard().WriteFailures > 0, "the write in flight at the stop finished");
            var beforeOutage = Shard().Journaled;

            // Load continues against the dead store: the buffer fills to capacity, the rest is dropped and counted.
            foreach (var entry in sent.Skip(100).Take(300)) life.Sinks.Ref.Tell(entry, null);
            await life.WaitUntilAsync(() => Shard().Received == 400, "400 received");
            var full = Shard();
            Assert.Equal(beforeOutage, full.Journaled);
            Assert.Equal(capacity, full.Buffered);
            Assert.Equal(capacity, full.JournalLag);
            Assert.Equal(400 - beforeOutage - capacity, full.Dropped);
            Assert.True(life.Sinks.IsOverloaded);
            Assert.False(life.Sinks.Accepts("e999"));
            await life.WaitUntilAsync(() => Shard() is { WriteFailures: > 0, BreakerState: "Open" }, "the breaker open on a failing store");

            down = false;
            await PostgresServerControl.StartAsync();

            await life.WaitUntilAsync(() => Shard().Buffered == 0, "the buffer drained once the server was back");
            Assert.False(life.Sinks.IsOverloaded);
            Assert.True(life.Sinks.Accepts("e999"));
            await life.WaitUntilAsync(() => Shard().BreakerState == "Closed", "the breaker closed again");

            // And the shard carries on as before.
            foreach (var entry in sent.Skip(400)) life.Sinks.Ref.Tell(entry, null);
            await life.WaitUntilAsync(() => Shard() is { Received: 450, Buffered: 0 } && Shard().AggregateLag == 0, "the last 50 journaled and everything flushed");

            var after = Shard();
            Assert.Equal(0, after.Duplicates);
            Assert.Equal(full.Dropped, after.Dropped);
            Assert.Equal(450 - after.Dropped, after.Journaled);
            // Accepted = all sent before the outage, the first that fit in the buffer during it, all sent after.
            var accepted = sent.Take(100).Concat(sent.Skip(100).Take(300 - (int)after.Dropped)).Concat(sent.Skip(400)).ToList();
            var journal = await fixture.JournalAsync("sink-0");
            Assert.Equal(accepted.Select(e => e.Id), journal.Select(r => r.EntryId));
            Assert.Equal(Enumerable.Range(1, journal.Count).Select(i => (long)i), journal.Select(r => r.SequenceNr));
            Assert.Equal(AggregateSummary.FromScratch(accepted), await AggregateSummary.StoredAsync(life.Store));
        }
        finally
        {
            // Never leave the server down for the tests after this one.
            if (down || !await PostgresServerControl.IsRunningAsync()) await PostgresServerControl.StartAsync();
        }
    }
}
