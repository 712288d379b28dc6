using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Aggregator.Contracts.Json;

/// <summary>
/// Checks the generated metadata cannot express, added as a <see cref="JsonTypeInfo"/> modifier so they hold
/// wherever <see cref="ContractsJson.Options"/> are used: a message without a "type" is a
/// <see cref="JsonException"/> that lists the types (not a <see cref="NotSupportedException"/> about interfaces),
/// and null values inside dictionaries and lists are rejected, since nullable annotations are only enforced on
/// properties and the actors would otherwise meet a null dimension or slot name long after the producer sent it.
/// </summary>
internal static class WireChecks
{
    public const string MessageTypes =
        "open, set, add, observe, startTimer, stopTimer, close, discard, openSlot, slotSet, slotAdd, slotObserve, completeSlot, failSlot, acquireGuard, releaseGuard";

    public const string ExpectedMessage = "expected an object whose \"type\" is one of " + MessageTypes + ".";

    public static void Apply(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Type == typeof(IEntryMessage))
        {
            // Reached only when no discriminator matched a derived type: the object had no "type" at all.
            typeInfo.CreateObject = static () => throw new JsonException($"entry message: missing \"type\"; {ExpectedMessage}");
        }
        else if (typeInfo.Type == typeof(Open))
        {
            typeInfo.OnDeserialized = static o => NoNullValues("open", "dimensions", ((Open)o).Dimensions);
        }
        else if (typeInfo.Type == typeof(ClosedEntry))
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
