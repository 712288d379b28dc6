using Aggregator.Actors.Persistence;
using Aggregator.Actors.Sinks.Aggregates;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Aggregates;

/// <summary>A shard's map of partials: keyed by operation, dimension set and window; turned into rows with an upsert-merge.</summary>
public sealed class PartialAggregatesTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void Entries_are_keyed_by_operation_canonical_dimensions_and_window()
    {
        var partials = new PartialAggregates();
        var eu = new Dictionary<string, string> { ["region"] = "eu", ["az"] = "a" };
        var euReordered = new Dictionary<string, string> { ["az"] = "a", ["region"] = "eu" };
        partials.Fold(Entries.Closed("GetItem", eu, closedAt: Entries.Noon.AddSeconds(1)), Minute);
        partials.Fold(Entries.Closed("GetItem", euReordered, closedAt: Entries.Noon.AddSeconds(59)), Minute);
        partials.Fold(Entries.Closed("GetItem", eu, closedAt: Entries.Noon.AddSeconds(60)), Minute);
        partials.Fold(Entries.Closed("PutItem", eu, closedAt: Entries.Noon), Minute);

        Assert.Equal(3, partials.Count);
        var key = new AggregateKey("GetItem", "az=a;region=eu", Entries.Noon);
        Assert.Contains(key, partials.Keys);
        Assert.True(partials.TryGet(key, out var first));
        Assert.Equal(2, first.Entries);
        Assert.False(partials.TryGet(key with { Operation = "Nope" }, out _));

        partials.Clear();
        Assert.Equal(0, partials.Count);
    }

    [Fact]
    public void Rows_carry_the_persistence_id_the_dimensions_and_a_decodable_state()
    {
        var partials = new PartialAggregates();
        partials.Fold(Entries.Closed("GetItem", new Dictionary<string, string> { ["region"] = "eu" },
            fields: new Dictionary<string, FieldValue> { ["latency"] = 5.0 }), Minute);

        var row = Assert.Single(partials.ToRows("sink-3"));
        Assert.Equal("sink-3", row.PersistenceId);
        Assert.Equal("eu", row.Dimensions["region"]);
        Assert.True(AggregateCodec.TryDecode(row.State, out var decoded, out var error), error);
        Assert.Equal(5.0, decoded.Metrics[new MetricKey(MetricKind.Field, "latency")].Sum);
    }

    [Fact]
    public void Rows_merge_with_what_the_store_holds_and_a_corrupt_stored_row_is_reported_and_replaced()
    {
        var partials = new PartialAggregates();
        partials.Fold(Entries.Closed(counters: new Dictionary<string, long> { ["n"] = 2 }), Minute);
        var key = Assert.Single(partials.Keys);
        var stored = Assert.Single(partials.ToRows("sink-0"));

        var merged = Assert.Single(partials.ToRows("sink-0", [stored]));
        Assert.True(AggregateCodec.TryDecode(merged.State, out var both, out _));
        Assert.Equal(2, both.Entries);
        Assert.Equal(4, both.Metrics[new MetricKey(MetricKind.Counter, "n")].Sum);

        var reports = new List<CorruptAggregate>();
        var replaced = Assert.Single(partials.ToRows("sink-0", [stored with { State = [9, 9] }], reports.Add));
        var report = Assert.Single(reports);
        Assert.Equal(("sink-0", key), (report.PersistenceId, report.Key));
        Assert.Contains("unknown aggregate format 9", report.Reason);
        Assert.True(AggregateCodec.TryDecode(replaced.State, out var alone, out _));
        Assert.Equal(1, alone.Entries);
    }
}
