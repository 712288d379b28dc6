using Aggregator.Actors.Kernel;
using Aggregator.Contracts;

namespace Aggregator.Actors.Entries;

// Messages between the region's own actors (shard, entry, slot). Producers never see these; they speak the
// records in Aggregator.Contracts.

/// <summary>
/// Handle → shard: an <see cref="Open"/> from an in-process handle, whose later messages wait in
/// <paramref name="Target"/> until the shard binds it to the entry actor it creates (or to the entry already open).
/// </summary>
internal sealed record OpenLocal(Open Open, HandleTarget Target);

/// <summary>Handle → entry: an <see cref="OpenSlot"/> whose slot handle's messages go straight to the child once bound.</summary>
internal sealed record OpenSlotLocal(OpenSlot OpenSlot, HandleTarget Target);

/// <summary>
/// Slot handle → slot child: the sub-task completed, with what it wrote (null if nothing). The in-process form of
/// <see cref="CompleteSlot"/>; remote producers send their writes one by one and then <see cref="CompleteSlot"/>.
/// </summary>
internal sealed record CompleteSlotWith(string EntryId, string Slot, EntryRecord? Record) : ISlotMessage;

/// <summary>Slot → entry: the sub-task completed; here is its sub-record to flatten.</summary>
internal sealed record SlotCompleted(string Slot, EntryRecord Record);

/// <summary>Entry → shard: the entry closed or was discarded; remember its id as a tombstone and retire it.</summary>
internal sealed record EntryEnded(string EntryId, string Operation);

/// <summary>
/// Shard → entry after <see cref="EntryEnded"/>: every message the shard forwarded before this one has now been
/// counted as late, so the entry may stop without any of them turning into an uncounted dead letter (the hand-off
/// Akka's sharding does for passivation).
/// </summary>
internal sealed class Retire
{
    public static readonly Retire Instance = new();
    private Retire() { }
}

/// <summary>Shard → entry at system shutdown: close now with reason Shutdown.</summary>
internal sealed class ShutdownEntry
{
    public static readonly ShutdownEntry Instance = new();
    private ShutdownEntry() { }
}

/// <summary>Scheduler → shard, every <see cref="EntrySettings.DeadlineResolution"/>: check the entries' deadlines.</summary>
internal sealed class SweepDeadlines : INotInfluenceReceiveTimeout
{
    public static readonly SweepDeadlines Instance = new();
    private SweepDeadlines() { }
}

/// <summary>Shard → entry: the forceFlushAfter deadline passed.</summary>
internal sealed class ForceFlushDue : INotInfluenceReceiveTimeout
{
    public static readonly ForceFlushDue Instance = new();
    private ForceFlushDue() { }
}

/// <summary>Shard → entry: maxLifetime passed.</summary>
internal sealed class LifetimeDue : INotInfluenceReceiveTimeout
{
    public static readonly LifetimeDue Instance = new();
    private LifetimeDue() { }
}

/// <summary>Region → shard at shutdown: close every entry and answer <see cref="ShardDrained"/> once all have ended.</summary>
internal sealed class DrainShard
{
    public static readonly DrainShard Instance = new();
    private DrainShard() { }
}

/// <summary>Shard → region: every entry of the shard has closed.</summary>
internal sealed record ShardDrained(int ShardId, int Closed);

/// <summary>What every shard and entry of one region shares: settings, where closed entries go, counters and the clock.</summary>
internal sealed record EntryContext(EntrySettings Settings, IActorRef Sink, EntryStatistics Statistics, TimeProvider Clock);

/// <summary>
/// Open refused an entry because the sinks it would close into are full (overflow policy Reject): retry later. The
/// HTTP API answers the same condition with 503 and Retry-After.
/// </summary>
public sealed class EntryRejectedException(string operation, string entryId)
    : Exception($"Entry '{entryId}' ({operation}) refused: the sinks are full (backpressure); retry later.")
{
    public string Operation { get; } = operation;
    public string EntryId { get; } = entryId;
}

/// <summary>The exception a slot's child throws for <see cref="Aggregator.Contracts.FailSlot"/>, so it crashes like a failed sub-task would.</summary>
public sealed class SlotFailedException(string entryId, string slot, string reason)
    : Exception($"Slot '{slot}' of entry '{entryId}' failed: {reason}")
{
    public string EntryId { get; } = entryId;
    public string Slot { get; } = slot;
    public string Reason { get; } = reason;
}
