using Aggregator.Actors.Sinks.Aggregates;

namespace Aggregator.Actors.Tests.Aggregates;

/// <summary>Window alignment: UTC, multiples of the length since the Unix epoch.</summary>
public sealed class AggregateWindowTests
{
    [Fact]
    public void A_timestamp_falls_in_the_minute_that_starts_at_or_before_it()
    {
        var window = AggregateWindow.Default;
        Assert.Equal(TimeSpan.FromMinutes(1), window.Length);
        var start = new DateTimeOffset(2026, 11, 21, 12, 34, 0, TimeSpan.Zero);
        Assert.Equal(start, window.StartOf(start));
        Assert.Equal(start, window.StartOf(start.AddSeconds(59.9999)));
        Assert.Equal(start.AddMinutes(1), window.StartOf(start.AddMinutes(1)));
    }

    [Fact]
    public void Offsets_are_converted_to_UTC()
    {
        var local = new DateTimeOffset(2026, 11, 21, 14, 34, 30, TimeSpan.FromHours(2));
        var start = AggregateWindow.Default.StartOf(local);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 12, 34, 0, TimeSpan.Zero), start);
        Assert.Equal(TimeSpan.Zero, start.Offset);
    }

    [Fact]
    public void Other_lengths_align_to_the_epoch_also_before_it()
    {
        var sevenMinutes = new AggregateWindow(TimeSpan.FromMinutes(7));
        var t = new DateTimeOffset(2026, 11, 21, 12, 34, 56, TimeSpan.Zero);
        var start = sevenMinutes.StartOf(t);
        Assert.True(start <= t && t < start.AddMinutes(7));
        Assert.Equal(0, (start - DateTimeOffset.UnixEpoch).Ticks % TimeSpan.FromMinutes(7).Ticks);

        var before = new DateTimeOffset(1969, 12, 31, 23, 59, 30, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(1969, 12, 31, 23, 59, 0, TimeSpan.Zero), AggregateWindow.Default.StartOf(before));
        Assert.Equal(new DateTimeOffset(1969, 12, 31, 0, 0, 0, TimeSpan.Zero), new AggregateWindow(TimeSpan.FromDays(1)).StartOf(before));
    }

    [Fact]
    public void A_window_must_have_a_length()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AggregateWindow(TimeSpan.Zero));
        Assert.Equal(AggregateWindow.DefaultLength, default(AggregateWindow).Length);
    }
}
