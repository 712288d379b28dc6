namespace Aggregator.Actors.Inspection;

/// <summary>
/// How inspection samples the kernel and when it warns: the sampling cadence, the window rates are computed over,
/// and the thresholds of the warning rules. Defaults suit a single node under normal load.
/// </summary>
public sealed record InspectionSettings
{
    /// <summary>How often the sampler records a snapshot; growing mailboxes are judged across consecutive samples.</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Utilization, rates and dead letters are computed over (about) this much recent time, not since start.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A turn running longer than this makes its actor stuck.</summary>
    public TimeSpan StuckTurnThreshold { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Consecutive samples over which a mailbox must rise every time to count as growing (at least 2).</summary>
    public int GrowingMailboxSamples { get; init; } = 3;

    /// <summary>A growing mailbox is only worth a warning once it holds at least this many messages.</summary>
    public long GrowingMailboxMinDepth { get; init; } = 10;

    /// <summary>An actor busy at least this fraction (0..1] of the window is hot.</summary>
    public double HotUtilization { get; init; } = 0.9;

    /// <summary>Actors listed per top list when the caller does not say.</summary>
    public int DefaultTop { get; init; } = 10;

    /// <summary>The most actors a caller may ask for per top list.</summary>
    public int MaxTop { get; init; } = 1000;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that makes no sense.</summary>
    public void Validate()
    {
        if (SampleInterval <= TimeSpan.Zero) throw new ArgumentException($"{nameof(SampleInterval)} must be positive (was {SampleInterval}).");
        if (Window < SampleInterval) throw new ArgumentException($"{nameof(Window)} must be at least {nameof(SampleInterval)} (was {Window} < {SampleInterval}).");
        if (StuckTurnThreshold <= TimeSpan.Zero) throw new ArgumentException($"{nameof(StuckTurnThreshold)} must be positive (was {StuckTurnThreshold}).");
        if (GrowingMailboxSamples < 2) throw new ArgumentException($"{nameof(GrowingMailboxSamples)} must be at least 2 (was {GrowingMailboxSamples}).");
        if (GrowingMailboxMinDepth < 1) throw new ArgumentException($"{nameof(GrowingMailboxMinDepth)} must be at least 1 (was {GrowingMailboxMinDepth}).");
        if (HotUtilization is not (> 0 and <= 1)) throw new ArgumentException($"{nameof(HotUtilization)} must be in (0, 1] (was {HotUtilization}).");
        if (MaxTop < 1) throw new ArgumentException($"{nameof(MaxTop)} must be at least 1 (was {MaxTop}).");
        if (DefaultTop < 1 || DefaultTop > MaxTop) throw new ArgumentException($"{nameof(DefaultTop)} must be between 1 and {nameof(MaxTop)} ({MaxTop}) (was {DefaultTop}).");
    }
}
