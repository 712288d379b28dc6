using Aggregator.Actors.Inspection;

namespace Aggregator.Host.Inspection;

/// <summary>Inspection's settings (section <c>Aggregator:Inspection</c>) in configuration-friendly units; see <see cref="InspectionSettings"/>.</summary>
public sealed class InspectionOptions
{
    public const string SectionName = "Aggregator:Inspection";

    /// <summary>The node's name in <c>/v1/cluster</c>; the machine name when empty (a StatefulSet pod's name is both).</summary>
    public string? NodeName { get; set; }

    public double SampleIntervalSeconds { get; set; } = 2;
    public double WindowSeconds { get; set; } = 10;
    public double StuckTurnSeconds { get; set; } = 5;
    public int GrowingMailboxSamples { get; set; } = 3;
    public long GrowingMailboxMinDepth { get; set; } = 10;
    public double HotUtilizationPercent { get; set; } = 90;
    public int DefaultTop { get; set; } = 10;
    public int MaxTop { get; set; } = 1000;

    public string ResolvedNodeName => string.IsNullOrWhiteSpace(NodeName) ? Environment.MachineName : NodeName;

    public InspectionSettings ToSettings() => new()
    {
        SampleInterval = Seconds(SampleIntervalSeconds),
        Window = Seconds(WindowSeconds),
        StuckTurnThreshold = Seconds(StuckTurnSeconds),
        GrowingMailboxSamples = GrowingMailboxSamples,
        GrowingMailboxMinDepth = GrowingMailboxMinDepth,
        HotUtilization = HotUtilizationPercent / 100,
        DefaultTop = DefaultTop,
        MaxTop = MaxTop,
    };

    /// <summary>Out-of-range values become a zero or negative span, which validation then reports, instead of an overflow at bind time.</summary>
    private static TimeSpan Seconds(double seconds) =>
        double.IsFinite(seconds) && Math.Abs(seconds) < TimeSpan.MaxValue.TotalSeconds / 2 ? TimeSpan.FromSeconds(seconds) : TimeSpan.MinValue;
}
