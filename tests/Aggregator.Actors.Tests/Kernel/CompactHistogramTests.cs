using Aggregator.Actors.Kernel.Instrumentation;

namespace Aggregator.Actors.Tests.Kernel;

/// <summary>Per-actor histograms start inline and are allocated only after a few samples: both forms must report the same counts.</summary>
public sealed class CompactHistogramTests
{
    [Fact]
    public void Inline_samples_report_like_a_full_histogram()
    {
        var compact = new CompactHistogram();
        var full = new Log2Histogram();
        long[] durations = [0, 1, 100, 1_000, 50_000, 1_000_000];
        foreach (var ticks in durations)
        {
            compact.Record(ticks);
            full.Record(ticks);
        }
        Assert.False(compact.IsPromoted);
        Assert.Equal(full.Snapshot().Counts, compact.Snapshot().Counts);
    }

    [Fact]
    public void Promotion_keeps_the_inline_samples_and_counts_on()
    {
        var compact = new CompactHistogram();
        var full = new Log2Histogram();
        for (var i = 0; i < 3 * CompactHistogram.InlineSamples; i++)
        {
            var ticks = 1L << (i % 30);
            compact.Record(ticks);
            full.Record(ticks);
            Assert.Equal(i >= CompactHistogram.InlineSamples, compact.IsPromoted);
            Assert.Equal(full.Snapshot().Counts, compact.Snapshot().Counts);
        }
        Assert.Equal(3 * CompactHistogram.InlineSamples, compact.Snapshot().Total);
    }

    [Fact]
    public void Folding_into_a_histogram_adds_inline_and_promoted_samples()
    {
        var small = new CompactHistogram();
        small.Record(10);
        small.Record(10);
        var large = new CompactHistogram();
        for (var i = 0; i < 50; i++) large.Record(1_000);

        var totals = new Log2Histogram();
        small.AddTo(ref totals);
        large.AddTo(ref totals);

        var snapshot = totals.Snapshot();
        Assert.Equal(52, snapshot.Total);
        Assert.Equal(2, snapshot.Counts[Log2Histogram.BucketOf(10)]);
        Assert.Equal(50, snapshot.Counts[Log2Histogram.BucketOf(1_000)]);
    }

    [Fact]
    public void An_actor_that_never_sampled_has_empty_histograms()
    {
        var compact = new CompactHistogram();
        Assert.Equal(0, compact.Snapshot().Total);
        var totals = new Log2Histogram();
        compact.AddTo(ref totals);
        Assert.Equal(0, totals.Snapshot().Total);
    }
}
