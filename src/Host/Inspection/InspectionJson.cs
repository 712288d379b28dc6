using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aggregator.Host.Inspection;

/// <summary>How <c>/v1/cluster</c> is written and how the <c>inspect</c> CLI reads it back: camelCase, absent values left out.</summary>
public static class InspectionJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };
}
