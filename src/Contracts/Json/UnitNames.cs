using System.Text.Json;

namespace Aggregator.Contracts.Json;

/// <summary>
/// The one unit vocabulary of the wire format, shared by field values, observations and distribution summaries,
/// so a producer learns a single set of short names instead of the .NET enum's member names.
/// </summary>
internal static class UnitNames
{
    /// <summary>The accepted names, in the order error messages list them.</summary>
    public const string Accepted = "none, ms, us, s, bytes, count, percent";

    public static string ToWire(FieldUnit unit) => unit switch
    {
        FieldUnit.None => "none",
        FieldUnit.Milliseconds => "ms",
        FieldUnit.Microseconds => "us",
        FieldUnit.Seconds => "s",
        FieldUnit.Bytes => "bytes",
        FieldUnit.Count => "count",
        FieldUnit.Percent => "percent",
        _ => throw new JsonException($"unit: {unit} has no wire name; expected one of {Accepted}"),
    };

    /// <summary>Case-sensitive, like the rest of the wire format; "µs" (micro sign or Greek mu) is accepted for "us" because humans type it.</summary>
    public static bool TryParse(string? name, out FieldUnit unit)
    {
        unit = name switch
        {
            "none" => FieldUnit.None,
            "ms" => FieldUnit.Milliseconds,
            "us" or "\u00B5s" or "\u03BCs" => FieldUnit.Microseconds,
            "s" => FieldUnit.Seconds,
            "bytes" => FieldUnit.Bytes,
            "count" => FieldUnit.Count,
            "percent" => FieldUnit.Percent,
            _ => (FieldUnit)(-1),
        };
        return unit != (FieldUnit)(-1);
    }
}
