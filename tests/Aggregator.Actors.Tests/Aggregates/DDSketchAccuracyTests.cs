using Aggregator.Actors.Sinks.Aggregates;
using FsCheck;
using FsCheck.Fluent;

namespace Aggregator.Actors.Tests.Aggregates;

/// <summary>The property: every quantile within 1 % relative error of the exact one, whatever the data.</summary>
public sealed class DDSketchAccuracyTests
{
    private static readonly double[] Quantiles = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

    private static readonly Arbitrary<(Shape Shape, int Count, int Seed)> Samples =
        (from shape in Gen.Elements(SampleData.Shapes)
         from count in Gen.Frequency((1, Gen.Choose(1, 10)), (3, Gen.Choose(11, 3_000)), (1, Gen.Choose(3_001, 20_000)))
         from seed in Gen.Choose(0, int.MaxValue)
         select (shape, count, seed)).ToArbitrary();

    [Fact]
    public void Every_quantile_is_within_one_percent_of_the_exact_quantile()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Samples, sample =>
        {
            var values = SampleData.Draw(sample.Shape, sample.Count, sample.Seed);
            AssertAccurate(values, new DDSketch(), 0.01, sample.ToString());
        }));
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.001)]
    public void Other_accuracies_keep_their_own_guarantee(double alpha)
    {
        // At 0.1 % a bucket is ten times narrower, so 2,048 of them span only about a factor 60: give room.
        foreach (var shape in SampleData.Shapes)
            AssertAccurate(SampleData.Draw(shape, 5_000, 42), new DDSketch(alpha, maxBuckets: 65_536), alpha, shape.ToString());
    }

    [Fact]
    public void Values_across_the_whole_double_range_are_accurate_when_nothing_collapses()
    {
        // 1e-320 (subnormal) to 1e308: far beyond what 2,048 buckets span, so give the sketch room for all of it.
        var random = new Random(7);
        var values = Enumerable.Range(0, 20_000)
            .Select(_ => Math.Pow(10, random.NextDouble() * 628 - 320) * (random.Next(2) == 0 ? -1 : 1))
            .Append(double.MaxValue).Append(-double.MaxValue).Append(double.Epsilon * 1000)
            .ToArray();
        AssertAccurate(values, new DDSketch(0.01, maxBuckets: 100_000), 0.01, "whole range");
    }

    [Fact]
    public void Every_positive_double_maps_to_a_bucket_whose_value_is_within_alpha_of_it()
    {
        // The mapping's own guarantee, bucket by bucket, including octave edges, subnormals and the largest double.
        var sketch = new DDSketch();
        var mapping = sketch.Mapping;
        var random = new Random(3);
        var edges = Enumerable.Range(-1060, 2083).SelectMany(e => new[] { Math.ScaleB(1, e), Math.BitDecrement(Math.ScaleB(1, e)), Math.ScaleB(1.5, e) });
        var samples = Enumerable.Range(0, 200_000).Select(_ => Math.ScaleB(1 + random.NextDouble(), random.Next(-1070, 1024)));
        foreach (var x in edges.Concat(samples).Append(double.MaxValue).Append(1e-321).Where(x => x > 0 && double.IsFinite(x)))
        {
            var estimate = mapping.ValueOf(mapping.IndexOf(x));
            if (!SampleData.WithinRelative(estimate, x, 0.01)) Assert.Fail($"x={x:R} estimate={estimate:R} index={mapping.IndexOf(x)}");
        }
    }

    [Fact]
    public void The_index_never_decreases_as_the_value_grows()
    {
        var mapping = new DDSketch().Mapping;
        var x = 1e-310;
        var previous = mapping.IndexOf(x);
        while (x < 1e308)
        {
            x *= 1.0007;
            var index = mapping.IndexOf(x);
            if (index < previous) Assert.Fail($"index fell from {previous} to {index} at {x:R}");
            previous = index;
        }
    }

    private static void AssertAccurate(double[] values, DDSketch sketch, double alpha, string label)
    {
        foreach (var value in values) Assert.True(sketch.Add(value));
        var sorted = values.Order().ToArray();
        Assert.Equal(values.Length, sketch.Count);
        Assert.Equal(sorted[0], sketch.Min);
        Assert.Equal(sorted[^1], sketch.Max);
        foreach (var q in Quantiles)
        {
            var exact = SampleData.ExactQuantile(sorted, q);
            var estimate = sketch.Quantile(q);
            Assert.True(SampleData.WithinRelative(estimate, exact, alpha),
                $"{label}: q={q} exact={exact:R} estimate={estimate:R} relative error={Math.Abs(estimate - exact) / Math.Abs(exact):R}");
        }
    }
}
