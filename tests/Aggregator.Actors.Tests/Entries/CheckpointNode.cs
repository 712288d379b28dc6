using Aggregator.Actors.Entries;
using Aggregator.Actors.Kernel;
using Aggregator.Actors.Sinks;
using Aggregator.Contracts;
using Aggregator.Testing;

namespace Aggregator.Actors.Tests.Entries;

/// <summary>
/// One pod in a checkpoint test: its own actor system on its own <see cref="VirtualClock"/>, an entry region and a
/// collecting sink. Messages are told as cluster mode tells them (no sender), and every send is settled (the entry
/// has handled it, and a slot completion or crash has reached the entry), so two nodes fed the same messages see the
/// same order and the same clock readings.
/// </summary>
internal sealed class CheckpointNode : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly HashSet<string> ids = new(StringComparer.Ordinal);

    private CheckpointNode(VirtualClock clock, ActorSystem system, CollectingSink sink, EntryRegion region)
    {
        Clock = clock;
        System = system;
        Sink = sink;
        Region = region;
    }

    public VirtualClock Clock { get; }
    public ActorSystem System { get; }
    public CollectingSink Sink { get; }
    public EntryRegion Region { get; }

    /// <summary>Settings every checkpoint test uses: few shards, and a small reservoir so sampling is exercised.</summary>
    public static EntrySettings Settings(int shards = 3, params ISharedState[] sharedStates) => Settings(shards, 4, sharedStates);

    public static EntrySettings Settings(int shards, int maxRetainedObservations, params ISharedState[] sharedStates) => new()
    {
        Shards = shards,
        MaxRetainedObservations = maxRetainedObservations,
        DeadlineResolution = TimeSpan.FromMilliseconds(100),
        GlobalDimensions = new Dictionary<string, string> { ["service"] = "ducks" },
        SharedStates = sharedStates,
    };

    /// <summary>A node whose clock starts at <paramref name="at"/> (a restarted pod starts when the old one stopped).</summary>
    public static CheckpointNode Start(string name, EntrySettings settings, DateTimeOffset? at = null)
    {
        var clock = new VirtualClock(at);
        var system = ActorSystem.Create(name, new ActorSystemSettings { TimeProvider = clock, RunCoordinatedShutdownOnExitSignals = false });
        var sink = CollectingSink.Start(system);
        return new CheckpointNode(clock, system, sink, EntryRegion.Start(system, sink.Ref, settings));
    }

    /// <summary>Tells the region the message with no sender and waits until it has taken effect.</summary>
    public void Send(IEntryMessage message)
    {
        ids.Add(message.EntryId);
        Region.Ref.Tell(message, ActorRefs.NoSender);
        Settle(message.EntryId, message is CompleteSlot or FailSlot ? ((ISlotMessage)message).Slot : null);
    }

    /// <summary>The entry handled everything told before; with <paramref name="slot"/>, the slot is no longer outstanding (or never was).</summary>
    public void Settle(string entryId, string? slot = null)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var state = Region.FindAsync(entryId, Patience).GetAwaiter().GetResult();
            if (slot is null || state is null || !state.Pending.Contains("slot:" + slot)) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"slot {slot} of {entryId} still outstanding");
            Thread.Yield();
        }
    }

    /// <summary>Waits until the shards remember <paramref name="count"/> ended ids (an entry tells its shard it ended after it answers for itself).</summary>
    public void AwaitTombstones(int count)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (Region.GetStateAsync(Patience).GetAwaiter().GetResult().Shards.Sum(s => s.TombstoneCount) < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"fewer than {count} tombstones");
            Thread.Yield();
        }
    }

    /// <summary>One shard tick of virtual time; every deadline it makes due has reached its entry before this returns.</summary>
    public void Tick()
    {
        Clock.Advance(Region.Settings.DeadlineResolution);
        foreach (var id in ids) Settle(id);
    }

    /// <summary>The ids this node has seen, so <see cref="Tick"/> settles each (a restored node learns them from the checkpoint).</summary>
    public void Know(IEnumerable<string> entryIds) => ids.UnionWith(entryIds);

    /// <summary>Closes every open entry (reason Shutdown) and returns what the sink received, by id.</summary>
    public IReadOnlyList<ClosedEntry> Finish()
    {
        Region.ShutdownAsync().Wait(Patience);
        // Every close is counted right after its Tell to the sink, so the counters say how many the sink will hold.
        var expected = Region.Statistics.Snapshot().Sum(s => s.ClosedTotal);
        if (!Sink.WhenCount(expected).Wait(Patience)) throw new TimeoutException("sink did not receive every closed entry");
        return Sink.Entries;
    }

    public void Dispose() => System.Terminate().Wait(Patience);
}
