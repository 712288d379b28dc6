using System.Globalization;
using Aggregator.Actors.Persistence;
using Aggregator.Actors.Sinks.Aggregates;
using Aggregator.Contracts;

namespace Aggregator.Host.Tests.ClusterMode;

/// <summary>
/// What the fault tests compare the cluster's stored aggregates with: every journaled entry of the operation folded
/// from scratch, in one process. Per group: the entry count, the close reasons, rejected values, and each metric's
/// count, min, max and sum (sums within a relative 1e-9, since the shards fold them in another order). An entry lost
/// from the aggregates or folded twice (a redelivery, a second close after a hand-over) changes a count.
/// </summary>
internal static class AggregateRecomputation
{
    /// <summary>The differences between the stored aggregates of <paramref name="operation"/> and a fold of its journal; empty when they agree.</summary>
    public static async Task<IReadOnlyList<string>> DifferencesAsync(ISinkStore store, string operation)
    {
        var scratch = new PartialAggregates();
        var entries = 0;
        await foreach (var entry in JournalAsync(store, operation))
        {
            scratch.Fold(entry, AggregateWindow.Default);
            entries++;
        }
        var expected = Lines(AggregateQuery.Default.Run(scratch.ToRows("scratch")));
        var stored = Lines(AggregateQuery.Default.Run(await store.GetAggregatesAsync(operation, DateTimeOffset.MinValue, DateTimeOffset.MaxValue)));
        var differences = new List<string>();
        if (entries == 0) differences.Add($"no journaled entries of {operation}");
        foreach (var key in expected.Keys.Union(stored.Keys).Order(StringComparer.Ordinal))
        {
            var want = expected.GetValueOrDefault(key);
            var have = stored.GetValueOrDefault(key);
            if (want is null || have is null || !want.Matches(have)) differences.Add($"{key}: recomputed {want?.ToString() ?? "nothing"}, stored {have?.ToString() ?? "nothing"}");
        }
        return differences;
    }

    private static async IAsyncEnumerable<ClosedEntry> JournalAsync(ISinkStore store, string operation)
    {
        string? after = null;
        do
        {
            var page = await store.GetEntriesAsync(new EntryQuery(operation, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, Limit: 500, After: after));
            foreach (var entry in page.Entries) yield return entry;
            after = page.Next;
        }
        while (after is not null);
    }

    /// <summary>One line per group ("entries") and per group metric, keyed by the group's dimensions (and the metric).</summary>
    private static Dictionary<string, Figures> Lines(AggregateQueryResult result)
    {
        var lines = new Dictionary<string, Figures>(StringComparer.Ordinal);
        foreach (var group in result.Groups)
        {
            var dimensions = string.Join(",", group.Dimensions.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={d.Value}"));
            var reasons = string.Join(",", group.Reasons.OrderBy(r => r.Key).Select(r => $"{r.Key}={r.Value}"));
            lines[$"[{dimensions}] entries"] = new Figures(group.Entries, 0, 0, 0, $"reasons {reasons}, rejected {group.RejectedValues}");
            foreach (var metric in group.Metrics)
                lines[$"[{dimensions}] {metric.Kind} {metric.Name}"] = new Figures(metric.Count, metric.Sum, metric.Min, metric.Max, "");
        }
        return lines;
    }

    private sealed record Figures(long Count, double Sum, double Min, double Max, string Detail)
    {
        public bool Matches(Figures other) =>
            Count == other.Count && Min.Equals(other.Min) && Max.Equals(other.Max) && Detail == other.Detail
            && Math.Abs(Sum - other.Sum) <= 1e-9 * Math.Max(1, Math.Abs(Sum));

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"count {Count}, sum {Sum:R}, min {Min:R}, max {Max:R} {Detail}");
    }
}
