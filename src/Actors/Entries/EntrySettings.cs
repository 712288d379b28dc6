using System.Collections.Frozen;

namespace Aggregator.Actors.Entries;

/// <summary>How the entry region runs: shard count, deadlines, tombstones, and the process-wide values merged into every entry.</summary>
public sealed record EntrySettings
{
    /// <summary>Shard actors in the region. Every message for an entry passes through its shard, so keep several per core.</summary>
    public int Shards { get; init; } = Math.Max(8, Environment.ProcessorCount * 4);

    /// <summary>maxLifetime when Open gives none: an entry never outlives this, even if its owner never releases.</summary>
    public TimeSpan DefaultMaxLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>forceFlushAfter when Open gives none; null means no deadline (only guards decide).</summary>
    public TimeSpan? DefaultForceFlushAfter { get; init; }

    /// <summary>How often each shard checks its entries' deadlines: a deadline fires at most this much late.</summary>
    public TimeSpan DeadlineResolution { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long an ended id is remembered, so late messages and redelivered Opens are dropped, not resurrected.</summary>
    public TimeSpan TombstoneTtl { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Cap on remembered ids per shard (oldest forgotten first, counted), so a high close rate cannot exhaust memory.</summary>
    public int MaxTombstonesPerShard { get; init; } = 100_000;

    /// <summary>
    /// Checkpoints (cluster mode) carry the tombstones of entries that ended within this window, not all of
    /// <see cref="TombstoneTtl"/>: enough for messages that trail a close by seconds, at a checkpoint size that does not
    /// grow with the TTL. Zero carries none.
    /// </summary>
    public TimeSpan CheckpointTombstoneWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Observations kept per distribution for exact quantiles; beyond it a uniform sample is kept (count, sum, min, max stay exact).</summary>
    public int MaxRetainedObservations { get; init; } = 1024;

    /// <summary>Quantiles every closed distribution reports.</summary>
    public IReadOnlyList<double> Quantiles { get; init; } = [0.5, 0.9, 0.99];

    /// <summary>Set once at start (service, instance, version: metrique's OnceLock fields), merged into every closed entry.</summary>
    public IReadOnlyDictionary<string, string> GlobalDimensions { get; init; } = FrozenDictionary<string, string>.Empty;

    /// <summary>Runtime-swappable values each entry snapshots when it first reads them (at open), recorded as fields.</summary>
    public IReadOnlyList<ISharedState> SharedStates { get; init; } = [];

    internal void Validate()
    {
        if (Shards < 1) throw new ArgumentOutOfRangeException(nameof(Shards), Shards, "EntrySettings.Shards must be at least 1.");
        if (DefaultMaxLifetime <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(DefaultMaxLifetime), DefaultMaxLifetime, "EntrySettings.DefaultMaxLifetime must be positive.");
        if (DefaultForceFlushAfter <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(DefaultForceFlushAfter), DefaultForceFlushAfter, "EntrySettings.DefaultForceFlushAfter must be positive when set.");
        if (DeadlineResolution <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(DeadlineResolution), DeadlineResolution, "EntrySettings.DeadlineResolution must be positive.");
        if (TombstoneTtl < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(TombstoneTtl), TombstoneTtl, "EntrySettings.TombstoneTtl must not be negative.");
        if (CheckpointTombstoneWindow < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(CheckpointTombstoneWindow), CheckpointTombstoneWindow, "EntrySettings.CheckpointTombstoneWindow must not be negative.");
        if (MaxTombstonesPerShard < 0) throw new ArgumentOutOfRangeException(nameof(MaxTombstonesPerShard), MaxTombstonesPerShard, "EntrySettings.MaxTombstonesPerShard must not be negative.");
        if (MaxRetainedObservations < 1) throw new ArgumentOutOfRangeException(nameof(MaxRetainedObservations), MaxRetainedObservations, "EntrySettings.MaxRetainedObservations must be at least 1.");
        foreach (var q in Quantiles)
            if (!(q > 0 && q < 1)) throw new ArgumentOutOfRangeException(nameof(Quantiles), q, "EntrySettings.Quantiles must each lie strictly between 0 and 1.");
    }
}
