using Aggregator.Actors.Kernel;
using Aggregator.Actors.Persistence;
using Aggregator.Actors.Sinks;

namespace Aggregator.Actors.Tests.Sinks;

/// <summary>
/// One "process life" of the sinks over a store: an actor system, the store and a sink region. Recovery is only
/// tested by ending a life (cleanly, or by a crash that drains nothing) and starting another over the same storage,
/// so how a life starts and ends is written once here for every store.
/// </summary>
internal sealed class SinkLife : IAsyncDisposable
{
    private bool gone;

    private SinkLife(ActorSystem system, ISinkStore store, SinkRegion sinks)
    {
        System = system;
        Store = store;
        Sinks = sinks;
    }

    public ActorSystem System { get; }

    /// <summary>The real store, for queries (the shards may see it through a fault).</summary>
    public ISinkStore Store { get; }

    public SinkRegion Sinks { get; }

    public long Journaled => Sinks.Snapshot().Sum(s => s.Journaled);

    /// <summary>Initializes the store, then starts a new actor system and sink region whose shards write to <paramref name="shardStore"/> (the store itself unless given).</summary>
    public static async Task<SinkLife> StartAsync(ISinkStore store, SinkSettings settings, ISinkStore? shardStore = null)
    {
        await store.InitializeAsync();
        var system = ActorSystem.Create("sinks", new ActorSystemSettings { RunCoordinatedShutdownOnExitSignals = false });
        return new SinkLife(system, store, SinkRegion.Start(system, shardStore ?? store, settings));
    }

    /// <summary>A clean stop: coordinated shutdown drains the sinks, then the store closes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (gone) return;
        gone = true;
        await System.Terminate();
        await Store.DisposeAsync();
    }

    /// <summary>A crash: the actors are gone without draining (nothing buffered or unflushed reaches the store).</summary>
    public async Task CrashAsync()
    {
        gone = true;
        foreach (var shard in Sinks.Ref.Shards) System.Stop(shard);
        await WaitUntilAsync(() => Sinks.Ref.Shards.All(s => s is Aggregator.Actors.Kernel.Dispatch.InternalActorRef { IsTerminated: true }), "the shards stopped");
        await Store.DisposeAsync();
        await System.Terminate();
    }

    public async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}; shards: {string.Join("; ", Sinks.Snapshot())}");
            await Task.Delay(10);
        }
    }
}
