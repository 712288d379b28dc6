using System.Text.Json.Serialization;
using Aggregator.Contracts.Json;

namespace Aggregator.Contracts;

/// <summary>Why an entry closed; every closed entry carries exactly one.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<CloseReason>))]
public enum CloseReason
{
    /// <summary>The owner released and no flush guard or Wait slot was outstanding.</summary>
    Completed,

    /// <summary>The owner released and a force-flush guard was released, with other guards or slots still outstanding.</summary>
    ForceFlushed,

    /// <summary>The owner released and the forceFlushAfter deadline passed with guards or slots still outstanding.</summary>
    TimedOut,

    /// <summary>maxLifetime passed, whether or not the owner released: no entry leaks.</summary>
    Expired,

    /// <summary>The process shut down while the entry was open.</summary>
    Shutdown,
}
