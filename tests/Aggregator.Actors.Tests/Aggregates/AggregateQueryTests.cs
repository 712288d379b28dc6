using Aggregator.Actors.Persistence;
using Aggregator.Actors.Sinks.Aggregates;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Aggregates;

/// <summary>Aggregates of an operation merged across shards and windows, grouped by dimensions, corrupt rows reported.</summary>
public sealed class AggregateQueryTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>
    /// 3 shards × 5 minutes of GetItem entries in two regions and two hosts, latency = i ms for the i-th entry
    /// (1..600); returns the rows every shard would have saved.
    /// </summary>
    private static List<AggregateRow> ShardedRows()
    {
        var shards = Enumerable.Range(0, 3).Select(_ => new PartialAggregates()).ToArray();
        for (var i = 1; i <= 600; i++)
        {
            var dimensions = new Dictionary<string, string> { ["region"] = i % 2 == 0 ? "eu" : "us", ["host"] = $"h{i % 4}" };
            shards[i % 3].Fold(Entries.Closed("GetItem", dimensions,
                fields: new Dictionary<string, FieldValue> { ["latency"] = TimeSpan.FromMilliseconds(i) },
                counters: new Dictionary<string, long> { ["items"] = 1 },
                closedAt: Entries.Noon.AddSeconds(i % 300),
                reason: i % 10 == 0 ? CloseReason.TimedOut : CloseReason.Completed), Minute);
        }
        return shards.SelectMany((s, n) => s.ToRows($"sink-{n}")).ToList();
    }

    [Fact]
    public void Without_group_by_everything_of_the_operation_merges_into_one_group()
    {
        var rows = ShardedRows();
        Assert.True(rows.Count > 10); // several shards, windows and dimension sets really were merged

        var result = new AggregateQuery([], [0.5, 0.99]).Run(rows);

        Assert.Empty(result.Corrupt);
        var group = Assert.Single(result.Groups);
        Assert.Equal("GetItem", group.Operation);
        Assert.Empty(group.Dimensions);
        Assert.Equal(600, group.Entries);
        Assert.Equal(540, group.Reasons[CloseReason.Completed]);
        Assert.Equal(60, group.Reasons[CloseReason.TimedOut]);
        var latency = group.Metrics.Single(m => m is { Kind: MetricKind.Field, Name: "latency" });
        Assert.Equal((600L, 180_300.0, 1.0, 600.0), (latency.Count, latency.Sum, latency.Min, latency.Max));
        Assert.Equal(300.5, latency.Mean);
        Assert.Equal([0.5, 0.99], latency.Quantiles.Select(q => q.Quantile));
        Assert.True(SampleData.WithinRelative(latency.Quantiles[0].Value, 300, 0.01)); // rank ⌊0.5·599⌋ = 299 → 300 ms
        Assert.True(SampleData.WithinRelative(latency.Quantiles[1].Value, 594, 0.01)); // rank ⌊0.99·599⌋ = 593 → 594 ms
        Assert.Equal(600, group.Metrics.Single(m => m.Kind == MetricKind.Counter).Sum);
    }

    [Fact]
    public void Grouping_by_a_dimension_splits_by_its_values_and_merges_the_rest()
    {
        var result = new AggregateQuery(["region"], [1]).Run(ShardedRows());

        Assert.Equal(["eu", "us"], result.Groups.Select(g => g.Dimensions["region"]));
        Assert.All(result.Groups, g => Assert.Equal(300, g.Entries));
        var eu = result.Groups[0].Metrics.Single(m => m.Name == "latency");
        Assert.Equal((2.0, 600.0), (eu.Min, eu.Max));
        Assert.Equal(600, eu.Quantiles.Single().Value);

        var byHostAndRegion = new AggregateQuery(["host", "region"], []).Run(ShardedRows());
        Assert.Equal(4, byHostAndRegion.Groups.Count); // h0,h2 only even (eu), h1,h3 only odd (us)
        Assert.Equal(600, byHostAndRegion.Groups.Sum(g => g.Entries));
    }

    [Fact]
    public void Corrupt_rows_are_reported_with_their_location_and_skipped()
    {
        var rows = ShardedRows();
        var broken = rows[3] with { State = rows[3].State[..5] };
        rows[3] = broken;
        var brokenEntries = 0L;

        var result = new AggregateQuery([], []).Run(rows);

        var corrupt = Assert.Single(result.Corrupt);
        Assert.Equal((broken.PersistenceId, broken.Key), (corrupt.PersistenceId, corrupt.Key));
        Assert.Contains("truncated", corrupt.Reason);
        Assert.True(AggregateCodec.TryDecode(ShardedRows()[3].State, out var original, out _));
        brokenEntries = original.Entries;
        Assert.Equal(600 - brokenEntries, Assert.Single(result.Groups).Entries);
    }

    [Fact]
    public void A_row_whose_sketches_cannot_merge_with_its_group_is_reported_and_leaves_the_group_unchanged()
    {
        var rows = ShardedRows();
        var coarse = new PartialAggregates(relativeAccuracy: 0.05);
        coarse.Fold(Entries.Closed("GetItem", fields: new Dictionary<string, FieldValue> { ["latency"] = 1.0 }), Minute);
        rows.AddRange(coarse.ToRows("sink-9"));

        var result = new AggregateQuery([], [0.5]).Run(rows);

        Assert.Contains("cannot merge", Assert.Single(result.Corrupt).Reason);
        Assert.Equal(600, Assert.Single(result.Groups).Entries);
    }

    [Fact]
    public void Rows_of_other_operations_never_mix_and_bad_quantiles_are_refused()
    {
        var partials = new PartialAggregates();
        partials.Fold(Entries.Closed("A"), Minute);
        partials.Fold(Entries.Closed("B"), Minute);
        var result = new AggregateQuery([], []).Run(partials.ToRows("sink-0"));
        Assert.Equal(["A", "B"], result.Groups.Select(g => g.Operation));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AggregateQuery([], [1.01]).Run([]));
    }
}
