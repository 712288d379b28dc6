using Aggregator.Actors.Persistence;
using Aggregator.Actors.Sinks.Aggregates;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Sinks;

/// <summary>
/// What the sink tests compare aggregates by: the one group of <see cref="ClosedEntries"/> reduced to its count and
/// the latency and rows statistics, stored (what the shards flushed) against folded from scratch (what they were
/// sent). Lost or double-counted entries change the count and the sums; a mixed-up entry the minimum or maximum.
/// </summary>
internal readonly record struct AggregateSummary(long Entries, double LatencySum, double RowsSum, double LatencyMin, double LatencyMax, double RowsMin)
{
    public static AggregateSummary Of(AggregateQueryResult result)
    {
        var group = Assert.Single(result.Groups);
        var latency = group.Metrics.Single(m => m.Name == "latency");
        var rows = group.Metrics.Single(m => m.Name == "rows");
        return new AggregateSummary(group.Entries, latency.Sum, rows.Sum, latency.Min, latency.Max, rows.Min);
    }

    /// <summary>The summary of "Op" on <see cref="ClosedEntries.Day"/> as the store holds it.</summary>
    public static async Task<AggregateSummary> StoredAsync(ISinkStore store) =>
        Of(AggregateQuery.Default.Run(await store.GetAggregatesAsync("Op", ClosedEntries.Day, ClosedEntries.Day.AddDays(1))));

    /// <summary>The summary the entries must aggregate to, folded in memory.</summary>
    public static AggregateSummary FromScratch(IEnumerable<ClosedEntry> entries)
    {
        var scratch = new PartialAggregates();
        foreach (var entry in entries) scratch.Fold(entry, TimeSpan.FromMinutes(1));
        return Of(AggregateQuery.Default.Run(scratch.ToRows("scratch")));
    }
}
