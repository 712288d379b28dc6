namespace Aggregator.Actors.Sinks.Outputs;

/// <summary>
/// The limits of CloudWatch's embedded metric format that a document must stay within or CloudWatch drops its
/// metrics (the log event itself still lands, so the loss is silent). Shared by the writer and the validator so both
/// read the same numbers.
/// </summary>
public static class EmfLimits
{
    /// <summary>MetricDefinitions per directive.</summary>
    public const int MetricsPerDocument = 100;

    /// <summary>Dimension names per dimension set; also used, conservatively, for distinct dimension names per document.</summary>
    public const int DimensionsPerSet = 30;

    /// <summary>Values in a metric's array value.</summary>
    public const int ValuesPerMetric = 100;

    /// <summary>Characters in a namespace, a metric name or a dimension name.</summary>
    public const int NameLength = 255;

    /// <summary>The member CloudWatch reads the metadata from.</summary>
    public const string MetadataMember = "_aws";
}
