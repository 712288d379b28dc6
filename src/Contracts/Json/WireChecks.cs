using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Aggregator.Contracts.Json;

/// <summary>
/// Checks the generated metadata cannot express, added as a <see cref="JsonTypeInfo"/> modifier so they hold
/// wherever <see cref="ContractsJson.Options"/> are used: null values inside a closed entry's dictionaries and lists
/// are rejected, since nullable annotations are only enforced on properties and a reader would otherwise meet a
/// null dimension or slot name long after the entry was written. (Messages are checked by the wire reader.)
/// </summary>
internal static class WireChecks
{
    public static void Apply(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Type == typeof(ClosedEntry))
        {
            typeInfo.OnDeserialized = static o =>
            {
                var entry = (ClosedEntry)o;
                NoNullValues("closed entry", "dimensions", entry.Dimensions);
                NoNullValues("closed entry", "distributions", entry.Distributions);
                NoNullElements("closed entry", "pending", entry.Pending);
                NoNullElements("closed entry", "failedSlots", entry.FailedSlots);
            };
        }
    }

    private static void NoNullValues<TValue>(string owner, string property, IReadOnlyDictionary<string, TValue>? values)
        where TValue : class
    {
        if (values is null) return;
        foreach (var (key, value) in values)
        {
            if (value is null) throw new JsonException($"{owner}: {property}[\"{key}\"] is null; values of {property} cannot be null");
        }
    }

    private static void NoNullElements(string owner, string property, IReadOnlyList<string> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is null) throw new JsonException($"{owner}: {property}[{i}] is null; elements of {property} cannot be null");
        }
    }
}
