using Aggregator.Actors.Kernel;
using Aggregator.Actors.Persistence.Sqlite;
using Aggregator.Actors.Sinks;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Sinks;

/// <summary>
/// A real SQLite file in a temp directory and a way to run sink regions over it, one "process life" at a time: start,
/// tell entries, stop (cleanly or not), start again over the same file.
/// </summary>
internal sealed class SinkFixture : IAsyncDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("aggregator-sinks-").FullName;

    public string DatabasePath => Path.Combine(directory, "aggregator.db");

    /// <summary>A new actor system, store and sink region over the fixture's file.</summary>
    public async Task<Life> StartAsync(SinkSettings settings, TimeSpan? busyTimeout = null)
    {
        var store = new SqliteSinkStore(DatabasePath, busyTimeout);
        await store.InitializeAsync();
        var system = ActorSystem.Create("sinks", new ActorSystemSettings { RunCoordinatedShutdownOnExitSignals = false });
        return new Life(system, store, SinkRegion.Start(system, store, settings));
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A store still closing; the temp directory is cleaned by the OS eventually.
        }
        return ValueTask.CompletedTask;
    }

    public static ClosedEntry Entry(string id, string operation = "Op", double latency = 10, long rows = 1, string region = "eu", DateTimeOffset? closedAt = null)
    {
        var at = closedAt ?? new DateTimeOffset(2026, 11, 21, 10, 0, 30, TimeSpan.Zero);
        return new ClosedEntry(id, operation,
            new Dictionary<string, string> { ["region"] = region },
            new Dictionary<string, FieldValue> { ["latency"] = FieldValue.Of(latency, FieldUnit.Milliseconds), ["status"] = "ok" },
            new Dictionary<string, long> { ["rows"] = rows },
            new Dictionary<string, DistributionSummary>(),
            at - TimeSpan.FromMilliseconds(latency), at, CloseReason.Completed, [], [], 1);
    }

    /// <summary>One process life: the system, its store and the sinks.</summary>
    internal sealed class Life(ActorSystem system, SqliteSinkStore store, SinkRegion sinks) : IAsyncDisposable
    {
        public ActorSystem System { get; } = system;
        public SqliteSinkStore Store { get; } = store;
        public SinkRegion Sinks { get; } = sinks;

        public long Journaled => Sinks.Snapshot().Sum(s => s.Journaled);

        /// <summary>A clean stop: coordinated shutdown drains the sinks, then the store closes.</summary>
        public async ValueTask DisposeAsync()
        {
            await System.Terminate();
            await Store.DisposeAsync();
        }

        /// <summary>A crash: the actors are gone without draining (nothing buffered or unflushed reaches the store).</summary>
        public async Task CrashAsync()
        {
            foreach (var shard in Sinks.Ref.Shards) System.Stop(shard);
            await WaitUntilAsync(() => Sinks.Ref.Shards.All(s => s is Aggregator.Actors.Kernel.Dispatch.InternalActorRef { IsTerminated: true }), "the shards stopped");
            await Store.DisposeAsync();
        }

        public async Task WaitUntilAsync(Func<bool> condition, string what)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!condition())
            {
                Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
                await Task.Delay(10);
            }
        }
    }
}
