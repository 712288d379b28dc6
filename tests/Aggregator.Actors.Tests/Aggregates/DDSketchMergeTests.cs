using Aggregator.Actors.Sinks.Aggregates;
using FsCheck;
using FsCheck.Fluent;

namespace Aggregator.Actors.Tests.Aggregates;

/// <summary>Merging is exact: the merge of sketches is the sketch of the union, in any order or grouping.</summary>
public sealed class DDSketchMergeTests
{
    private static readonly double[] Quantiles = [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1];

    private static readonly Gen<double[]> Data =
        from shape in Gen.Elements(SampleData.Shapes)
        from count in Gen.Choose(0, 2_000)
        from seed in Gen.Choose(0, int.MaxValue)
        select SampleData.Draw(shape, count, seed);

    // Small bucket budgets too, so merges that collapse are covered.
    private static readonly Arbitrary<(double[] A, double[] B, double[] C, int MaxBuckets)> Triples =
        (from a in Data
         from b in Data
         from c in Data
         from maxBuckets in Gen.Elements(16, 64, DDSketch.DefaultMaxBuckets)
         select (a, b, c, maxBuckets)).ToArbitrary();

    [Fact]
    public void The_merge_of_two_sketches_answers_like_the_sketch_of_the_union()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(150), Prop.ForAll(Triples, t =>
        {
            var union = Sketch(t.MaxBuckets, t.A, t.B);
            var merged = Sketch(t.MaxBuckets, t.A);
            merged.Merge(Sketch(t.MaxBuckets, t.B));
            AssertSameAnswers(union, merged);
        }));
    }

    [Fact]
    public void Merging_is_associative_and_commutative_in_its_answers()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100), Prop.ForAll(Triples, t =>
        {
            var (a, b, c) = (Sketch(t.MaxBuckets, t.A), Sketch(t.MaxBuckets, t.B), Sketch(t.MaxBuckets, t.C));
            var left = Merge(t.MaxBuckets, Merge(t.MaxBuckets, a, b), c);
            var right = Merge(t.MaxBuckets, a, Merge(t.MaxBuckets, b, c));
            var shuffled = Merge(t.MaxBuckets, Merge(t.MaxBuckets, c, a), b);
            AssertSameAnswers(left, right);
            AssertSameAnswers(left, shuffled);
            AssertSameAnswers(left, Sketch(t.MaxBuckets, t.C, t.B, t.A));
        }));
    }

    [Fact]
    public void Sketches_of_different_accuracy_refuse_to_merge()
    {
        var coarse = new DDSketch(0.02);
        coarse.Add(1);
        var error = Assert.Throws<ArgumentException>(() => new DDSketch().Merge(coarse));
        Assert.Contains("relative accuracy", error.Message);
    }

    private static DDSketch Sketch(int maxBuckets, params double[][] parts)
    {
        var sketch = new DDSketch(DDSketch.DefaultRelativeAccuracy, maxBuckets);
        foreach (var part in parts)
            foreach (var value in part) sketch.Add(value);
        return sketch;
    }

    private static DDSketch Merge(int maxBuckets, DDSketch first, DDSketch second)
    {
        var merged = new DDSketch(DDSketch.DefaultRelativeAccuracy, maxBuckets);
        merged.Merge(first);
        merged.Merge(second);
        return merged;
    }

    private static void AssertSameAnswers(DDSketch expected, DDSketch actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.Min, actual.Min);
        Assert.Equal(expected.Max, actual.Max);
        // Sums differ only by the order of additions; scale the allowance by the largest magnitude involved.
        var scale = expected.IsEmpty ? 1 : Math.Max(Math.Abs(expected.Min), Math.Abs(expected.Max)) * expected.Count;
        Assert.Equal(expected.Sum, actual.Sum, scale * 1e-12 + 1e-12);
        foreach (var q in Quantiles) Assert.Equal(expected.Quantile(q), actual.Quantile(q));
    }
}
