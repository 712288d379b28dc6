namespace Aggregator.Contracts.Tests;

/// <summary>
/// Exact comparisons the records' own equality does not give: collections compare by reference, a double's
/// Equals calls 0 and -0 equal, and a DateTimeOffset's Equals ignores the offset.
/// </summary>
internal static class Same
{
    public static bool Value(FieldValue a, FieldValue b) =>
        a.Kind == b.Kind && a.Unit == b.Unit && Number(a.Number, b.Number) && string.Equals(a.Text, b.Text, StringComparison.Ordinal)
        && a.Flag == b.Flag && a.Duration.Ticks == b.Duration.Ticks && Timestamp(a.Timestamp, b.Timestamp);

    public static bool Number(double a, double b) =>
        (double.IsNaN(a) && double.IsNaN(b)) || BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

    public static bool Timestamp(DateTimeOffset a, DateTimeOffset b) => a.Ticks == b.Ticks && a.Offset == b.Offset;

    public static void Entry(ClosedEntry expected, ClosedEntry actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Operation, actual.Operation);
        Assert.Equal(Sorted(expected.Dimensions), Sorted(actual.Dimensions));
        Assert.Equal(expected.Fields.Keys.Order(), actual.Fields.Keys.Order());
        foreach (var (name, value) in expected.Fields)
            Assert.True(Value(value, actual.Fields[name]), $"field {name}: expected {value}, got {actual.Fields[name]}");
        Assert.Equal(Sorted(expected.Counters), Sorted(actual.Counters));
        Assert.Equal(expected.Distributions.Keys.Order(), actual.Distributions.Keys.Order());
        foreach (var (name, summary) in expected.Distributions)
        {
            var other = actual.Distributions[name];
            Assert.Equal(summary with { Quantiles = [] }, other with { Quantiles = [] });
            Assert.Equal(summary.Quantiles, other.Quantiles);
        }
        Assert.True(Timestamp(expected.OpenedAt, actual.OpenedAt));
        Assert.True(Timestamp(expected.ClosedAt, actual.ClosedAt));
        Assert.Equal(expected.CloseReason, actual.CloseReason);
        Assert.Equal(expected.Pending, actual.Pending);
        Assert.Equal(expected.FailedSlots, actual.FailedSlots);
        Assert.Equal(expected.InFlightAtOpen, actual.InFlightAtOpen);
    }

    /// <summary>Records compare by value except for collections (Open's dimensions), which are compared here.</summary>
    public static void Message(IEntryMessage expected, IEntryMessage actual)
    {
        Assert.IsType(expected.GetType(), actual);
        if (expected is Open open)
        {
            var read = (Open)actual;
            Assert.Equal(Sorted(open.Dimensions ?? new Dictionary<string, string>()), Sorted(read.Dimensions ?? new Dictionary<string, string>()));
            Assert.Equal(open with { Dimensions = null }, read with { Dimensions = null });
        }
        else
        {
            Assert.Equal(expected, actual);
        }
    }

    private static KeyValuePair<string, T>[] Sorted<T>(IReadOnlyDictionary<string, T> values) =>
        values.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();
}
