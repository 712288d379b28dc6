using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Aggregates;

/// <summary>Builds closed entries for aggregate tests without an actor system.</summary>
internal static class Entries
{
    public static readonly DateTimeOffset Noon = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static int next;

    public static ClosedEntry Closed(
        string operation = "GetItem",
        IReadOnlyDictionary<string, string>? dimensions = null,
        IReadOnlyDictionary<string, FieldValue>? fields = null,
        IReadOnlyDictionary<string, long>? counters = null,
        IReadOnlyDictionary<string, DistributionSummary>? distributions = null,
        DateTimeOffset? closedAt = null,
        CloseReason reason = CloseReason.Completed)
    {
        var closed = closedAt ?? Noon;
        return new ClosedEntry(
            $"e-{Interlocked.Increment(ref next)}",
            operation,
            dimensions ?? new Dictionary<string, string>(),
            fields ?? new Dictionary<string, FieldValue>(),
            counters ?? new Dictionary<string, long>(),
            distributions ?? new Dictionary<string, DistributionSummary>(),
            closed.AddMilliseconds(-5),
            closed,
            reason,
            [],
            [],
            0);
    }
}
