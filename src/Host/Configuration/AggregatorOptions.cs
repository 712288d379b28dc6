namespace Aggregator.Host.Configuration;

/// <summary>The service's own settings (section <c>Aggregator</c>), separate from ASP.NET Core's and Serilog's.</summary>
public sealed class AggregatorOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Aggregator";

    /// <summary>Directory for local state (the SQLite journal, snapshots); relative paths resolve against the content root.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>How long a stop may take to drain work before the host gives up on the remaining hosted services.</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 30;
}
