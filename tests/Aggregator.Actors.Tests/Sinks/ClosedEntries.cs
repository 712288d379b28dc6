using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Sinks;

/// <summary>
/// The closed entries the sink tests send: operation "Op" on <see cref="Day"/>, one dimension, a latency field and a
/// rows counter, so every test can compare aggregates through <see cref="AggregateSummary"/> the same way.
/// </summary>
internal static class ClosedEntries
{
    /// <summary>The day every entry closes on unless told otherwise (aggregates are queried over it).</summary>
    public static readonly DateTimeOffset Day = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);

    public static ClosedEntry Of(string id, string operation = "Op", double latency = 10, long rows = 1, string region = "eu", DateTimeOffset? closedAt = null)
    {
        var at = closedAt ?? Day.AddHours(10).AddSeconds(30);
        return new ClosedEntry(id, operation,
            new Dictionary<string, string> { ["region"] = region },
            new Dictionary<string, FieldValue> { ["latency"] = FieldValue.Of(latency, FieldUnit.Milliseconds), ["status"] = "ok" },
            new Dictionary<string, long> { ["rows"] = rows },
            new Dictionary<string, DistributionSummary>(),
            at - TimeSpan.FromMilliseconds(latency), at, CloseReason.Completed, [], [], 1);
    }
}
