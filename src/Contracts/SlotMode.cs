using System.Text.Json.Serialization;
using Aggregator.Contracts.Json;

namespace Aggregator.Contracts;

/// <summary>What a slot does to its entry's closing (metrique's <c>OnParentDrop</c>).</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<SlotMode>))]
public enum SlotMode
{
    /// <summary>The slot holds a flush guard: the entry waits until the slot completes or its child stops.</summary>
    Wait,

    /// <summary>The slot does not hold the entry open; if the entry closes first, the slot's data is dropped and counted.</summary>
    Discard,
}
