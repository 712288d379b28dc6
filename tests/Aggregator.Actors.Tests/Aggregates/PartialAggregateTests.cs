using Aggregator.Actors.Sinks.Aggregates;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Aggregates;

/// <summary>What a closed entry contributes to its partial aggregate, and that partials merge.</summary>
public sealed class PartialAggregateTests
{
    private static MetricKey Field(string name) => new(MetricKind.Field, name);

    [Fact]
    public void Numeric_fields_count_durations_in_milliseconds_and_other_kinds_are_ignored()
    {
        var aggregate = new PartialAggregate();
        aggregate.Fold(Entries.Closed(fields: new Dictionary<string, FieldValue>
        {
            ["bytes"] = FieldValue.Of(512, FieldUnit.Bytes),
            ["latency"] = TimeSpan.FromMilliseconds(12.5),
            ["cached"] = true,
            ["region"] = "eu",
            ["at"] = Entries.Noon,
        }));
        aggregate.Fold(Entries.Closed(fields: new Dictionary<string, FieldValue> { ["bytes"] = 1024, ["latency"] = TimeSpan.FromSeconds(1) }));

        Assert.Equal([Field("bytes"), Field("latency")], aggregate.Metrics.Keys.Order());
        var bytes = aggregate.Metrics[Field("bytes")];
        Assert.Equal((2L, 1536.0, 512.0, 1024.0), (bytes.Count, bytes.Sum, bytes.Min, bytes.Max));
        var latency = aggregate.Metrics[Field("latency")];
        Assert.Equal((2L, 1012.5, 12.5, 1000.0), (latency.Count, latency.Sum, latency.Min, latency.Max));
        Assert.Equal(2, aggregate.Entries);
    }

    [Fact]
    public void Counters_count_their_value_and_close_reasons_are_counted()
    {
        var aggregate = new PartialAggregate();
        aggregate.Fold(Entries.Closed(counters: new Dictionary<string, long> { ["retries"] = 3 }, reason: CloseReason.Completed));
        aggregate.Fold(Entries.Closed(counters: new Dictionary<string, long> { ["retries"] = 0 }, reason: CloseReason.TimedOut));
        aggregate.Fold(Entries.Closed(reason: CloseReason.TimedOut));

        var retries = aggregate.Metrics[new MetricKey(MetricKind.Counter, "retries")];
        Assert.Equal((2L, 3.0, 0.0, 3.0), (retries.Count, retries.Sum, retries.Min, retries.Max));
        Assert.Equal(3, aggregate.Entries);
        Assert.Equal(1, aggregate.CountOf(CloseReason.Completed));
        Assert.Equal(2, aggregate.CountOf(CloseReason.TimedOut));
        Assert.Equal(0, aggregate.CountOf(CloseReason.Expired));
    }

    [Fact]
    public void One_name_used_as_field_counter_and_distribution_stays_three_metrics()
    {
        var aggregate = new PartialAggregate();
        aggregate.Fold(Entries.Closed(
            fields: new Dictionary<string, FieldValue> { ["n"] = 1 },
            counters: new Dictionary<string, long> { ["n"] = 2 },
            distributions: new Dictionary<string, DistributionSummary> { ["n"] = new(1, 3, 3, 3, FieldUnit.None, []) }));
        Assert.Equal(3, aggregate.Metrics.Count);
        Assert.Equal(1, aggregate.Metrics[new MetricKey(MetricKind.Field, "n")].Sum);
        Assert.Equal(2, aggregate.Metrics[new MetricKey(MetricKind.Counter, "n")].Sum);
        Assert.Equal(3, aggregate.Metrics[new MetricKey(MetricKind.Distribution, "n")].Sum);
    }

    [Fact]
    public void A_distribution_keeps_count_sum_min_and_max_exactly_and_its_quantiles_shape_the_sketch()
    {
        var aggregate = new PartialAggregate();
        QuantileValue[] quantiles = [new(0.5, 10), new(0.9, 40), new(0.99, 90)];
        aggregate.Fold(Entries.Closed(distributions: new Dictionary<string, DistributionSummary>
        {
            ["latency"] = new(1000, 15_000, 1, 120, FieldUnit.Milliseconds, quantiles),
        }));
        aggregate.Fold(Entries.Closed(distributions: new Dictionary<string, DistributionSummary>
        {
            ["latency"] = new(3, 6, 1, 3, FieldUnit.Milliseconds, []), // no quantiles: the middle one at the mean of the rest
        }));

        var latency = aggregate.Metrics[new MetricKey(MetricKind.Distribution, "latency")];
        Assert.Equal((1003L, 15_006.0, 1.0, 120.0), (latency.Count, latency.Sum, latency.Min, latency.Max));
        Assert.Equal(latency.Count, latency.Sketch.Count);
        // Nearest rank: p50 stands for ranks up to 0.7, p90 up to 0.945, p99 for the rest.
        Assert.True(SampleData.WithinRelative(latency.Sketch.Quantile(0.5), 10, 0.01));
        Assert.True(SampleData.WithinRelative(latency.Sketch.Quantile(0.9), 40, 0.01));
        Assert.True(SampleData.WithinRelative(latency.Sketch.Quantile(0.99), 90, 0.01));
        Assert.Equal(120, latency.Sketch.Quantile(1));
    }

    [Fact]
    public void Non_finite_values_and_unusable_distributions_are_rejected_and_counted()
    {
        var aggregate = new PartialAggregate();
        aggregate.Fold(Entries.Closed(
            fields: new Dictionary<string, FieldValue> { ["x"] = double.NaN, ["y"] = double.PositiveInfinity, ["z"] = 1 },
            distributions: new Dictionary<string, DistributionSummary> { ["d"] = new(5, double.NaN, 0, 1, FieldUnit.None, []) }));
        Assert.Equal(3, aggregate.RejectedValues);
        Assert.Equal(1, aggregate.Metrics[Field("z")].Count);
        Assert.Equal(0, aggregate.Metrics[Field("x")].Count);
    }

    [Fact]
    public void Merging_partials_equals_folding_every_entry_into_one()
    {
        var entries = Enumerable.Range(0, 200).Select(i => Entries.Closed(
            fields: new Dictionary<string, FieldValue> { ["latency"] = TimeSpan.FromMilliseconds(i * 1.5), ["size"] = i % 7 },
            counters: new Dictionary<string, long> { ["items"] = i },
            distributions: new Dictionary<string, DistributionSummary> { ["q"] = new(10, i * 10, i, i + 9, FieldUnit.None, [new(0.5, i + 4)]) },
            reason: (CloseReason)(i % 5))).ToArray();
        var whole = new PartialAggregate();
        var odd = new PartialAggregate();
        var even = new PartialAggregate();
        for (var i = 0; i < entries.Length; i++)
        {
            whole.Fold(entries[i]);
            (i % 2 == 0 ? even : odd).Fold(entries[i]);
        }
        even.Merge(odd);

        Assert.Equal(whole.Entries, even.Entries);
        Assert.Equal(whole.Reasons.OrderBy(r => r.Key), even.Reasons.OrderBy(r => r.Key));
        foreach (var (key, summary) in whole.Metrics)
        {
            var merged = even.Metrics[key];
            Assert.Equal((summary.Count, summary.Min, summary.Max), (merged.Count, merged.Min, merged.Max));
            Assert.Equal(summary.Sum, merged.Sum, 1e-9);
            foreach (var q in new[] { 0.1, 0.5, 0.99 }) Assert.Equal(summary.Sketch.Quantile(q), merged.Sketch.Quantile(q));
        }
    }
}
