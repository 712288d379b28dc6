using Microsoft.Data.Sqlite;

namespace Aggregator.Actors.Tests.Sinks;

/// <summary>
/// The journal barrier cluster mode acks behind: it passes only when every entry told before it is in the journal,
/// and waits (rather than passing) while the store cannot take writes.
/// </summary>
public sealed class JournalBarrierTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = ClosedEntries.Day;
    private readonly SqliteSinkFixture fixture = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await fixture.DisposeAsync();

    [Fact]
    public async Task When_the_barrier_passes_every_entry_told_before_it_is_journaled()
    {
        await using var life = await fixture.StartAsync(SinkScenarioTests.Fast with { BatchSize = 1000, BatchInterval = TimeSpan.FromMinutes(1) });
        for (var i = 0; i < 250; i++) life.Sinks.Ref.Tell(ClosedEntries.Of($"b{i}", closedAt: Day.AddHours(1)), null);

        var dropped = await life.Sinks.JournalBarrierAsync(TimeSpan.FromSeconds(30));

        // Read at once, no waiting: the batch interval is a minute, so only the barrier can have forced the writes.
        Assert.Equal(250, life.Journaled);
        Assert.Equal(0, dropped);
    }

    [Fact]
    public async Task The_barrier_waits_while_the_store_is_locked_and_passes_once_it_is_released()
    {
        await using var life = await fixture.StartAsync(SinkScenarioTests.Fast with { Shards = 1 }, busyTimeout: TimeSpan.FromMilliseconds(50));
        var blocker = new SqliteConnection($"Data Source={fixture.DatabasePath};Pooling=False");
        blocker.Open();
        using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            begin.ExecuteNonQuery();
        }
        for (var i = 0; i < 20; i++) life.Sinks.Ref.Tell(ClosedEntries.Of($"l{i}", closedAt: Day.AddHours(1)), null);

        var barrier = life.Sinks.JournalBarrierAsync(TimeSpan.FromSeconds(60));
        await life.WaitUntilAsync(() => life.Sinks.Snapshot().Sum(s => s.WriteFailures) >= 1, "a write to fail against the lock");

        Assert.False(barrier.IsCompleted, "the barrier passed although nothing could be journaled");
        Assert.Equal(0, life.Journaled);

        blocker.Dispose();
        await barrier;
        Assert.Equal(20, life.Journaled);
    }
}
