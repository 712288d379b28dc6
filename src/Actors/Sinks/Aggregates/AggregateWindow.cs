namespace Aggregator.Actors.Sinks.Aggregates;

/// <summary>
/// The time window a partial aggregate covers: a timestamp's window starts at the last multiple of the length since
/// the Unix epoch (UTC), so every shard puts the same entry time in the same window and their partials merge.
/// </summary>
public readonly record struct AggregateWindow
{
    /// <summary>One minute, the default.</summary>
    public static readonly TimeSpan DefaultLength = TimeSpan.FromMinutes(1);

    public AggregateWindow(TimeSpan length)
    {
        if (length <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(length), length, "An aggregate window must be longer than zero.");
        this.length = length;
    }

    public static AggregateWindow Default { get; } = new(DefaultLength);

    private readonly TimeSpan length;

    /// <summary>The window length; <c>default(AggregateWindow)</c> means <see cref="DefaultLength"/>.</summary>
    public TimeSpan Length => length == TimeSpan.Zero ? DefaultLength : length;

    /// <summary>The start (UTC, offset zero) of the window holding <paramref name="timestamp"/>.</summary>
    public DateTimeOffset StartOf(DateTimeOffset timestamp)
    {
        var ticks = Length.Ticks;
        var sinceEpoch = timestamp.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var remainder = sinceEpoch % ticks;
        if (remainder < 0) remainder += ticks; // before 1970: still the start, not the end
        return new DateTimeOffset(timestamp.UtcTicks - remainder, TimeSpan.Zero);
    }
}
