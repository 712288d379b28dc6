namespace Aggregator.Benchmarks.Throughput;

/// <summary>How long a round should last, how many measured rounds to take, and when to give up on a round.</summary>
internal sealed record MeasurementPlan(TimeSpan RoundTarget, int Rounds)
{
    /// <summary>A round that takes longer than this is reported as a failure (it would otherwise hang the run).</summary>
    public TimeSpan RoundTimeout => TimeSpan.FromSeconds(Math.Max(15, RoundTarget.TotalSeconds * 15));

    /// <summary>Upper bound on a variant's wall time: calibration, one warm-up round and the measured rounds, with slack.</summary>
    public TimeSpan VariantBudget => TimeSpan.FromSeconds(10 + (Rounds + 3) * RoundTarget.TotalSeconds * 3);
}
