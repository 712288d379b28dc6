using Aggregator.Actors.Sinks.Aggregates;

namespace Aggregator.Actors.Tests.Aggregates;

/// <summary>The sketch's edges: rejects, empty, exact statistics, weights, collapsing and allocation.</summary>
public sealed class DDSketchTests
{
    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Non_finite_values_are_rejected_and_change_nothing(double value)
    {
        var sketch = new DDSketch();
        sketch.Add(3);
        Assert.False(sketch.Add(value));
        Assert.False(sketch.Add(value, 5));
        Assert.Equal(1, sketch.Count);
        Assert.Equal(3, sketch.Sum);
        Assert.Equal(3, sketch.Quantile(1));
    }

    [Fact]
    public void An_empty_sketch_answers_NaN_and_refuses_bad_quantiles()
    {
        var sketch = new DDSketch();
        Assert.True(double.IsNaN(sketch.Quantile(0.5)));
        Assert.Equal(0, sketch.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Quantile(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Quantile(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DDSketch(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DDSketch(0.01, 4));
    }

    [Fact]
    public void Count_sum_min_and_max_are_exact_and_the_extremes_are_the_end_quantiles()
    {
        var sketch = new DDSketch();
        double[] values = [-2.5, 0, 0, 7, 1e6, 0.001];
        foreach (var value in values) sketch.Add(value);
        Assert.Equal(6, sketch.Count);
        Assert.Equal(values.Sum(), sketch.Sum);
        Assert.Equal(-2.5, sketch.Min);
        Assert.Equal(1e6, sketch.Max);
        Assert.Equal(-2.5, sketch.Quantile(0));
        Assert.Equal(1e6, sketch.Quantile(1));
        Assert.Equal(0, sketch.Quantile(0.3)); // rank ⌊0.3·5⌋ = 1: the first zero
    }

    [Fact]
    public void A_weighted_add_counts_like_that_many_adds()
    {
        var weighted = new DDSketch();
        var repeated = new DDSketch();
        weighted.Add(12.5, 1000);
        weighted.Add(-3, 10);
        weighted.Add(0, 0); // weight 0: nothing
        for (var i = 0; i < 1000; i++) repeated.Add(12.5);
        for (var i = 0; i < 10; i++) repeated.Add(-3);
        Assert.Equal(repeated.Count, weighted.Count);
        Assert.Equal(repeated.Sum, weighted.Sum, 1e-9);
        foreach (var q in new[] { 0, 0.005, 0.01, 0.5, 1 }) Assert.Equal(repeated.Quantile(q), weighted.Quantile(q));
        Assert.Throws<ArgumentOutOfRangeException>(() => weighted.Add(1, -1));
    }

    [Fact]
    public void Beyond_the_bucket_budget_the_lowest_buckets_collapse_and_the_high_quantiles_stay_accurate()
    {
        var sketch = new DDSketch(0.01, maxBuckets: 64); // 64 buckets at 1 % span about a factor 3.6
        var values = Enumerable.Range(0, 10_000).Select(i => Math.Pow(10, i / 1000.0)).ToArray(); // 1 .. 1e10
        foreach (var value in values) sketch.Add(value);
        var sorted = values.Order().ToArray();
        Assert.Equal(sorted.Length, sketch.Count);
        foreach (var q in new[] { 0.97, 0.99, 0.999, 1 })
            Assert.True(SampleData.WithinRelative(sketch.Quantile(q), SampleData.ExactQuantile(sorted, q), 0.01), $"q={q}");
        // Collapsed: the median reports the floor bucket, far above the true median, but never outside [min, max].
        Assert.True(sketch.Quantile(0.5) > SampleData.ExactQuantile(sorted, 0.5) * 2);
        Assert.Equal(1, sketch.Quantile(0));
    }

    [Fact]
    public void Adding_allocates_nothing_once_the_buckets_span_the_data()
    {
        var sketch = new DDSketch();
        var values = SampleData.Draw(Shape.LogNormal, 10_000, 1);
        foreach (var value in values) sketch.Add(value);
        foreach (var value in values) sketch.Add(-value);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 10; round++)
            foreach (var value in values) { sketch.Add(value); sketch.Add(-value); sketch.Add(0); }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
