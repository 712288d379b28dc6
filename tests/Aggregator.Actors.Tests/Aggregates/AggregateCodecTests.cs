using Aggregator.Actors.Sinks.Aggregates;
using Aggregator.Contracts;
using FsCheck;
using FsCheck.Fluent;

namespace Aggregator.Actors.Tests.Aggregates;

/// <summary>The stored bytes of a partial aggregate: a lossless round trip, and corrupt blobs reported, never thrown.</summary>
public sealed class AggregateCodecTests
{
    private static readonly Arbitrary<(int Entries, int Seed, int MaxBuckets)> Partials =
        (from entries in Gen.Choose(0, 60)
         from seed in Gen.Choose(0, int.MaxValue)
         from maxBuckets in Gen.Elements(16, DDSketch.DefaultMaxBuckets)
         select (entries, seed, maxBuckets)).ToArbitrary();

    /// <summary>Random entries: numbers of every shape (negative, zero, tiny, huge), durations, counters, distributions, reasons.</summary>
    internal static PartialAggregate RandomPartial(int entries, int seed, int maxBuckets = DDSketch.DefaultMaxBuckets)
    {
        var random = new Random(seed);
        var aggregate = new PartialAggregate(DDSketch.DefaultRelativeAccuracy, maxBuckets);
        for (var i = 0; i < entries; i++)
        {
            var shape = SampleData.Shapes[random.Next(SampleData.Shapes.Length)];
            var values = SampleData.Draw(shape, 3, random.Next());
            aggregate.Fold(Entries.Closed(
                fields: new Dictionary<string, FieldValue>
                {
                    [$"f{random.Next(3)}"] = values[0],
                    ["latency"] = TimeSpan.FromTicks(random.Next(1, 10_000_000)),
                    ["name ünïcode ✓"] = random.Next(2) == 0 ? double.NaN : values[1],
                },
                counters: new Dictionary<string, long> { ["c"] = random.NextInt64(-5, long.MaxValue / 1024) },
                distributions: new Dictionary<string, DistributionSummary>
                {
                    ["d"] = new(random.Next(1, 50), 100, Math.Min(values[1], values[2]), Math.Max(values[1], values[2]), FieldUnit.None,
                        [new(0.5, (values[1] + values[2]) / 2)]),
                },
                reason: (CloseReason)random.Next(5)));
        }
        return aggregate;
    }

    [Fact]
    public void Decoding_an_encoded_partial_gives_back_the_same_partial()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100), Prop.ForAll(Partials, p =>
        {
            var original = RandomPartial(p.Entries, p.Seed, p.MaxBuckets);
            var bytes = AggregateCodec.Encode(original);
            Assert.Equal(AggregateCodec.Format, bytes[0]);
            Assert.True(AggregateCodec.TryDecode(bytes, out var decoded, out var error), error);
            Assert.Equal(bytes, AggregateCodec.Encode(decoded)); // canonical: same bytes again
            AssertSame(original, decoded);
        }));
    }

    [Fact]
    public void Every_truncation_is_reported_with_a_reason()
    {
        var bytes = AggregateCodec.Encode(RandomPartial(20, 1));
        // Every prefix through the header and first metrics, then a stride through the (long) bucket runs.
        for (var length = 0; length < bytes.Length; length += length < 1024 ? 1 : 37)
        {
            Assert.False(AggregateCodec.TryDecode(bytes[..length], out var aggregate, out var error), $"a prefix of {length} bytes decoded");
            Assert.Null(aggregate);
            Assert.False(string.IsNullOrWhiteSpace(error));
        }
        AggregateCodec.TryDecode(bytes[..(bytes.Length / 2)], out _, out var midway);
        Assert.Contains("truncated", midway);
    }

    [Fact]
    public void An_unknown_format_is_named_in_the_reason()
    {
        var bytes = AggregateCodec.Encode(RandomPartial(3, 2));
        bytes[0] = 7;
        Assert.False(AggregateCodec.TryDecode(bytes, out _, out var error));
        Assert.Contains("unknown aggregate format 7", error);
    }

    [Fact]
    public void Trailing_bytes_and_empty_states_are_reported()
    {
        var bytes = AggregateCodec.Encode(RandomPartial(3, 3));
        Assert.False(AggregateCodec.TryDecode([.. bytes, 0], out _, out var trailing));
        Assert.Contains("trailing", trailing);
        Assert.False(AggregateCodec.TryDecode([], out _, out var empty));
        Assert.Contains("empty", empty);
        Assert.False(AggregateCodec.TryDecode(null!, out _, out _));
    }

    [Fact]
    public void Garbage_and_flipped_bits_never_throw()
    {
        var random = new Random(11);
        var valid = AggregateCodec.Encode(RandomPartial(10, 4));
        for (var i = 0; i < 5_000; i++)
        {
            byte[] candidate;
            if (i % 2 == 0)
            {
                candidate = new byte[random.Next(1, 200)];
                random.NextBytes(candidate);
                if (i % 4 == 0) candidate[0] = AggregateCodec.Format; // get past the format byte
            }
            else
            {
                candidate = (byte[])valid.Clone();
                candidate[random.Next(candidate.Length)] ^= (byte)(1 << random.Next(8));
            }
            var ok = AggregateCodec.TryDecode(candidate, out var aggregate, out var error);
            Assert.True(ok ? aggregate is not null && error is null : aggregate is null && !string.IsNullOrEmpty(error));
        }
    }

    [Fact]
    public void Inconsistent_contents_are_reported_with_what_is_wrong()
    {
        // Format 1, 5 entries, 0 rejected, one reason (Completed × 4): the reasons do not add up.
        Assert.False(AggregateCodec.TryDecode([1, 5, 0, 1, 0, 4, 0], out _, out var error));
        Assert.Contains("add up to 4, not the entry count 5", error);
        // One metric of kind 9.
        Assert.False(AggregateCodec.TryDecode([1, 0, 0, 0, 1, 9], out _, out var kind));
        Assert.Contains("unknown metric kind 9", kind);
    }

    [Fact]
    public void An_encoded_sketch_is_compact()
    {
        var aggregate = new PartialAggregate();
        foreach (var value in SampleData.Draw(Shape.LogNormal, 100_000, 5))
            aggregate.Fold(Entries.Closed(fields: new Dictionary<string, FieldValue> { ["latency"] = value }));
        var bytes = AggregateCodec.Encode(aggregate);
        var buckets = aggregate.Metrics.Values.Single().Sketch.Positive.Range();
        // About one to three bytes per bucket between the lowest and highest, plus a fixed header.
        Assert.True(bytes.Length < (buckets.Highest - buckets.Lowest + 1) * 3 + 100, $"{bytes.Length} bytes for {buckets}");
    }

    internal static void AssertSame(PartialAggregate expected, PartialAggregate actual)
    {
        Assert.Equal(expected.Entries, actual.Entries);
        Assert.Equal(expected.RejectedValues, actual.RejectedValues);
        Assert.Equal(expected.Reasons.OrderBy(r => r.Key), actual.Reasons.OrderBy(r => r.Key));
        Assert.Equal(expected.Metrics.Keys.Order(), actual.Metrics.Keys.Order());
        foreach (var (key, summary) in expected.Metrics)
        {
            var other = actual.Metrics[key];
            Assert.Equal((summary.Count, summary.Sum, summary.Min, summary.Max), (other.Count, other.Sum, other.Min, other.Max));
            Assert.Equal(summary.Sketch.Sum, other.Sketch.Sum);
            Assert.Equal(summary.Sketch.MaxBuckets, other.Sketch.MaxBuckets);
            foreach (var q in new[] { 0, 0.01, 0.25, 0.5, 0.9, 0.999, 1 }) Assert.Equal(summary.Sketch.Quantile(q), other.Sketch.Quantile(q));
        }
    }
}
