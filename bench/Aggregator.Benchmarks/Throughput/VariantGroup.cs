namespace Aggregator.Benchmarks.Throughput;

/// <summary>
/// Variants measured side by side under one configuration (one table). The group that feeds a RESULT line names it
/// in <paramref name="ResultName"/>; <paramref name="ComparisonName"/> names the kernel-vs-Interlocked line.
/// </summary>
internal sealed record VariantGroup(
    string Title,
    IReadOnlyList<Func<IThroughputVariant>> Variants,
    string? ResultName = null,
    string? ComparisonName = null);
