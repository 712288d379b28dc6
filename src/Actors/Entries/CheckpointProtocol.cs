using Aggregator.Actors.Kernel;

namespace Aggregator.Actors.Entries;

// Messages of the checkpoint protocol (EntryRegion.CheckpointAsync, RestoreAsync, ForgetAsync). A checkpoint
// request travels the path every message travels (region → shard → entry → slot child), so each actor answers
// after everything told to it before the request and before everything told after.

/// <summary>Region → shard: snapshot the open entries and tombstones whose id <paramref name="Belongs"/> selects; answered with <see cref="ShardCheckpoint"/>.</summary>
internal sealed record CheckpointShard(Func<string, bool> Belongs, Sharding.ShardSlice? Slice = null);

/// <summary>Shard → region: one shard's part of a checkpoint.</summary>
internal sealed record ShardCheckpoint(IReadOnlyList<EntrySnapshot> Entries, IReadOnlyList<TombstoneSnapshot> Tombstones);

/// <summary>
/// Shard → entry: snapshot yourself at your turn. The shard keeps the deadlines, so it hands them over (null: none,
/// or already told to the entry, which then knows it passed).
/// </summary>
internal sealed record CheckpointEntry(long RequestId, DateTimeOffset? ForceFlushAt, DateTimeOffset? ExpiresAt);

/// <summary>Entry → shard: the entry's snapshot, or null when it had already ended (its tombstone covers it).</summary>
internal sealed record EntryCheckpointed(long RequestId, string EntryId, EntrySnapshot? Snapshot);

/// <summary>Entry → open slot child: your sub-record at your turn, answered with <see cref="SlotCheckpointed"/> (a completed child stays silent: its news is already on the way).</summary>
internal sealed record CheckpointSlot(long RequestId);

/// <summary>Slot child → entry: a copy of the open slot's sub-record.</summary>
internal sealed record SlotCheckpointed(long RequestId, string Slot, RecordSnapshot Record);

/// <summary>Region → shard: recreate these entries and tombstones (all of this shard's ids); answered with <see cref="CheckpointRestored"/>.</summary>
internal sealed record RestoreShard(IReadOnlyList<EntrySnapshot> Entries, IReadOnlyList<TombstoneSnapshot> Tombstones);

/// <summary>Region → shard: stop the entries <paramref name="Belongs"/> selects without emitting them, and forget their tombstones; answered with <see cref="ShardForgotten"/>.</summary>
internal sealed record ForgetShard(Func<string, bool> Belongs);

/// <summary>Shard → region: how many open entries were forgotten.</summary>
internal sealed record ShardForgotten(int Entries);

/// <summary>Shard → entry: another process owns you now; stop without emitting anything.</summary>
internal sealed class ForgetEntry
{
    public static readonly ForgetEntry Instance = new();
    private ForgetEntry() { }
}

/// <summary>Restored entry → itself: a slot child that had crashed before the checkpoint; handled as its Terminated would have been.</summary>
internal sealed record RestoredSlotFailed(string Slot);

/// <summary>The dead-letter reference as the child of a restored failed slot, whose child is long gone.</summary>
internal static class NoChild
{
    public static IActorRef For(IActorContext context) => context.System.DeadLetters;
}
