using Aggregator.Contracts;

namespace Aggregator.Actors.Sinks.Outputs;

/// <summary>The CloudWatch unit names: the ones entry units map to, and every one a document may declare.</summary>
public static class EmfUnits
{
    public static string Of(FieldUnit unit) => unit switch
    {
        FieldUnit.Milliseconds => "Milliseconds",
        FieldUnit.Microseconds => "Microseconds",
        FieldUnit.Seconds => "Seconds",
        FieldUnit.Bytes => "Bytes",
        FieldUnit.Count => "Count",
        FieldUnit.Percent => "Percent",
        _ => "None",
    };

    /// <summary>Every unit CloudWatch accepts (case-sensitive), for <see cref="EmfDocumentValidator"/>.</summary>
    public static IReadOnlySet<string> Valid { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "Seconds", "Microseconds", "Milliseconds",
        "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes",
        "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits",
        "Percent", "Count",
        "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
        "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second",
        "Count/Second", "None",
    };
}
