using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Entries;

/// <summary>
/// Two closed entries are the same: every field, counter, distribution (quantiles included), dimension, time, reason
/// and failed slot. Pending is compared as a multiset: it lists outstanding holdings, whose order a guard table
/// rebuilt from a checkpoint need not share with one that saw releases and re-acquisitions.
/// </summary>
internal static class ClosedEntryAssert
{
    public static void Same(ClosedEntry expected, ClosedEntry actual)
    {
        var id = expected.Id;
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal((id, expected.Operation), (id, actual.Operation));
        Assert.Equal((id, expected.CloseReason), (id, actual.CloseReason));
        Assert.Equal((id, "openedAt", expected.OpenedAt), (id, "openedAt", actual.OpenedAt));
        Assert.Equal((id, "closedAt", expected.ClosedAt), (id, "closedAt", actual.ClosedAt));
        Assert.Equal((id, "inFlightAtOpen", expected.InFlightAtOpen), (id, "inFlightAtOpen", actual.InFlightAtOpen));
        Assert.Equal(Sorted(expected.Dimensions), Sorted(actual.Dimensions));
        Assert.Equal(Sorted(expected.Fields), Sorted(actual.Fields));
        Assert.Equal(Sorted(expected.Counters), Sorted(actual.Counters));
        Assert.Equal(expected.Distributions.Keys.Order(StringComparer.Ordinal), actual.Distributions.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, summary) in expected.Distributions)
        {
            var other = actual.Distributions[name];
            Assert.Equal((id, name, summary.Count, summary.Sum, summary.Min, summary.Max, summary.Unit), (id, name, other.Count, other.Sum, other.Min, other.Max, other.Unit));
            Assert.Equal(summary.Quantiles, other.Quantiles);
        }
        Assert.Equal(expected.Pending.Order(StringComparer.Ordinal), actual.Pending.Order(StringComparer.Ordinal));
        Assert.Equal(expected.FailedSlots, actual.FailedSlots);
    }

    /// <summary>Both runs closed the same ids, each exactly once, into the same entries.</summary>
    public static void SameById(IReadOnlyList<ClosedEntry> expected, IReadOnlyList<ClosedEntry> actual)
    {
        Assert.Equal(expected.Count, expected.Select(e => e.Id).Distinct().Count());
        Assert.Equal(actual.Count, actual.Select(e => e.Id).Distinct().Count());
        Assert.Equal(expected.Select(e => e.Id).Order(StringComparer.Ordinal), actual.Select(e => e.Id).Order(StringComparer.Ordinal));
        var byId = actual.ToDictionary(e => e.Id, StringComparer.Ordinal);
        foreach (var entry in expected) Same(entry, byId[entry.Id]);
    }

    private static List<KeyValuePair<string, T>> Sorted<T>(IReadOnlyDictionary<string, T> values) => values.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
}
