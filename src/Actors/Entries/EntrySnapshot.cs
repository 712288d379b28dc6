using Aggregator.Contracts;

namespace Aggregator.Actors.Entries;

/// <summary>
/// Everything needed to rebuild one open entry exactly, as it stood at its turn for a checkpoint (see
/// <see cref="EntryRegion.CheckpointAsync(Func{string, bool}, TimeSpan?)"/>): a new owner restores it and the entry closes as the original would
/// have. <see cref="Dimensions"/> are the entry's own, <b>before</b> the global-dimension merge: the region that
/// closes the entry merges its own <see cref="EntrySettings.GlobalDimensions"/>, as at every close. Shared-state
/// values captured at open are ordinary fields of <see cref="Record"/> by then, so they are not read again.
/// </summary>
public sealed record EntrySnapshot(
    string Id,
    string Operation,
    IReadOnlyDictionary<string, string>? Dimensions,
    DateTimeOffset OpenedAt,
    long InFlightAtOpen,
    DateTimeOffset? ForceFlushAt,
    DateTimeOffset? ExpiresAt,
    bool OwnerReleased,
    bool ForceReleased,
    bool DeadlinePassed,
    IReadOnlyList<GuardSnapshot> Guards,
    RecordSnapshot Record,
    IReadOnlyList<SlotSnapshot> Slots,
    IReadOnlyList<string> FailedSlots);

/// <summary>
/// Holdings of one named guard. Who held them is not kept: an actor holder's stopping cannot release a restored
/// guard (in cluster mode holders are never actors, and a guard is released by <see cref="ReleaseGuard"/>).
/// </summary>
public sealed record GuardSnapshot(string Name, int Count, bool Force);

/// <summary>
/// A slot as the entry saw it. <see cref="SlotSnapshotStatus.Completing"/> and <see cref="SlotSnapshotStatus.Failing"/>
/// are slots still open at the entry's turn whose child had already completed or crashed (the news was on its way):
/// restored, the news is delivered again. Completed slots are already folded into the entry's record.
/// </summary>
public sealed record SlotSnapshot(string Name, SlotMode Mode, SlotSnapshotStatus Status, RecordSnapshot? Record);

/// <summary>Where a slot stood in its entry's life.</summary>
public enum SlotSnapshotStatus
{
    Open,
    Completing,
    Failing,
    Completed,
    Failed,
}

/// <summary>An entry's or a slot's accumulated data: fields, counters, distributions and stopwatches.</summary>
public sealed record RecordSnapshot(
    IReadOnlyDictionary<string, FieldValue> Fields,
    IReadOnlyDictionary<string, long> Counters,
    IReadOnlyDictionary<string, DistributionSnapshot> Distributions,
    IReadOnlyDictionary<string, TimerSnapshot> Timers)
{
    public static readonly RecordSnapshot Empty = new(
        new Dictionary<string, FieldValue>(0), new Dictionary<string, long>(0),
        new Dictionary<string, DistributionSnapshot>(0), new Dictionary<string, TimerSnapshot>(0));
}

/// <summary>
/// A distribution's whole state, so the restored one summarises identically at close: exact count, sum, min and max,
/// the retained observations in their order, and the reservoir sampler's state (which later observations it keeps).
/// </summary>
public sealed record DistributionSnapshot(FieldUnit Unit, long Count, double Sum, double Min, double Max, ulong Sampler, IReadOnlyList<double> Retained);

/// <summary>A stopwatch: time already measured, and when it started if it is running (stopped at close like any other).</summary>
public sealed record TimerSnapshot(TimeSpan Elapsed, DateTimeOffset? StartedAt);

/// <summary>An ended id remembered so a late message is counted late and a redelivered Open is a duplicate.</summary>
public sealed record TombstoneSnapshot(string Id, string Operation, DateTimeOffset EndedAt);

/// <summary>
/// The open entries and tombstones of a set of ids (one cluster shard), consistent with every message told to the
/// region before <see cref="EntryRegion.CheckpointAsync(Func{string, bool}, TimeSpan?)"/> was called: what a new owner restores before it consumes
/// the deliveries the checkpoint did not cover.
/// </summary>
public sealed record EntryCheckpoint(IReadOnlyList<EntrySnapshot> Entries, IReadOnlyList<TombstoneSnapshot> Tombstones)
{
    public static readonly EntryCheckpoint Empty = new([], []);
}

/// <summary>What <see cref="EntryRegion.RestoreAsync"/> did: entries and tombstones recreated, and ids skipped because they were already open or ended here.</summary>
public sealed record CheckpointRestored(int Entries, int Tombstones, int Skipped);
