using System.Text.Json;
using Aggregator.Actors.Sinks.Outputs;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Outputs;

/// <summary>EMF documents: shape, units, splitting at EMF's limits, drops; every document produced is validated.</summary>
public sealed class EmfOutputTests
{
    private static readonly EmfSettings Settings = new()
    {
        Namespace = "Aggregator/Test",
        DimensionSets = [["service"], ["service", "Operation"], ["service", "tenant", "region"]],
    };

    private static (EmfOutput Output, CapturedLines Lines) Start(EmfSettings? settings = null)
    {
        var lines = new CapturedLines();
        return (new EmfOutput(settings ?? Settings, lines.Target), lines);
    }

    /// <summary>Writes the entries and returns their documents, each checked against the EMF rules first.</summary>
    private static List<JsonElement> Documents(EmfOutput output, CapturedLines lines, params ClosedEntry[] entries)
    {
        output.Write(entries);
        var documents = new List<JsonElement>();
        foreach (var line in lines.Lines)
        {
            Assert.Empty(EmfDocumentValidator.Validate(line));
            documents.Add(JsonDocument.Parse(line).RootElement.Clone());
        }
        Assert.Equal(documents.Count, output.DocumentsWritten);
        return documents;
    }

    private static JsonElement Directive(JsonElement document) => document.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];

    private static Dictionary<string, string> Units(JsonElement document) =>
        Directive(document).GetProperty("Metrics").EnumerateArray().ToDictionary(m => m.GetProperty("Name").GetString()!, m => m.GetProperty("Unit").GetString()!);

    private static string[][] DimensionSets(JsonElement document) =>
        Directive(document).GetProperty("Dimensions").EnumerateArray().Select(s => s.EnumerateArray().Select(n => n.GetString()!).ToArray()).ToArray();

    [Fact]
    public void A_rich_entry_is_one_document_with_metadata_metrics_dimensions_and_plain_members()
    {
        var (output, lines) = Start();
        var document = Assert.Single(Documents(output, lines, OutputEntries.Rich()));

        var aws = document.GetProperty("_aws");
        Assert.Equal(OutputEntries.ClosedAt.ToUnixTimeMilliseconds(), aws.GetProperty("Timestamp").GetInt64());
        Assert.Equal("Aggregator/Test", Directive(document).GetProperty("Namespace").GetString());
        // The set with "region" does not apply: the entry has no region.
        Assert.Equal([["service"], ["service", "Operation"]], DimensionSets(document));

        Assert.Equal("rich", document.GetProperty("EntryId").GetString());
        Assert.Equal("GetDucks", document.GetProperty("Operation").GetString());
        Assert.Equal("completed", document.GetProperty("CloseReason").GetString());
        Assert.Equal("ducks", document.GetProperty("service").GetString());
        Assert.Equal("t1", document.GetProperty("tenant").GetString());
        Assert.Equal("alice\nsmith", document.GetProperty("user").GetString());
        Assert.True(document.GetProperty("cached").GetBoolean());
        Assert.Equal("2026-11-21T09:59:59.0000000+01:00", document.GetProperty("startedAt").GetString());
        Assert.Equal(["slot:db"], document.GetProperty("Pending").EnumerateArray().Select(p => p.GetString()));

        Assert.Equal(new Dictionary<string, string>
        {
            ["Duration"] = "Milliseconds",
            ["bytesOut"] = "Bytes",
            ["cpu"] = "Percent",
            ["plain"] = "None",
            ["db.time"] = "Milliseconds",
            ["cache.time"] = "Microseconds",
            ["rows"] = "Count",
            ["retries"] = "Count",
            ["latency.count"] = "Count",
            ["latency.sum"] = "Milliseconds",
            ["latency.min"] = "Milliseconds",
            ["latency.max"] = "Milliseconds",
            ["latency.p50"] = "Milliseconds",
            ["latency.p99"] = "Milliseconds",
            ["latency.p99.9"] = "Milliseconds",
        }, Units(document));
        Assert.Equal(42.5, document.GetProperty("Duration").GetDouble());
        Assert.Equal(12.5, document.GetProperty("db.time").GetDouble());
        Assert.Equal(80, document.GetProperty("cache.time").GetDouble());
        Assert.Equal(2048, document.GetProperty("bytesOut").GetDouble());
        Assert.Equal(12, document.GetProperty("rows").GetDouble());
        Assert.Equal(4, document.GetProperty("latency.count").GetDouble());
        Assert.Equal(4, document.GetProperty("latency.p99").GetDouble());
        Assert.Equal(0, output.MetricsDropped);
        Assert.Equal(0, output.EntriesSplit);
    }

    [Fact]
    public void Each_document_is_one_line()
    {
        var (output, lines) = Start();
        output.Write([OutputEntries.Rich("a"), OutputEntries.Rich("b")]);
        Assert.Equal(2, lines.Lines.Count);
        Assert.All(lines.Lines, line => Assert.StartsWith("{\"_aws\":", line));
    }

    [Fact]
    public void An_entry_with_250_metrics_becomes_3_documents_of_at_most_100_each_repeating_id_and_dimensions()
    {
        var (output, lines) = Start(new EmfSettings { Namespace = "N", DimensionSets = [["service"]] });
        // 249 fields plus the entry's Duration.
        var documents = Documents(output, lines, OutputEntries.Make("big", fields: OutputEntries.NumberFields(249)));

        Assert.Equal(3, documents.Count);
        Assert.Equal([100, 100, 50], documents.Select(d => Directive(d).GetProperty("Metrics").GetArrayLength()));
        Assert.All(documents, d =>
        {
            Assert.Equal("big", d.GetProperty("EntryId").GetString());
            Assert.Equal("ducks", d.GetProperty("service").GetString());
            Assert.Equal([["service"]], DimensionSets(d));
        });
        var published = documents.SelectMany(d => Units(d).Keys).ToList();
        Assert.Equal(250, published.Distinct().Count());
        Assert.Equal(250, published.Count);
        Assert.Equal(1, output.EntriesSplit);
        Assert.Equal(3, output.DocumentsWritten);
    }

    [Fact]
    public void Exactly_100_metrics_stay_in_one_document()
    {
        var (output, lines) = Start();
        Assert.Single(Documents(output, lines, OutputEntries.Make(fields: OutputEntries.NumberFields(99))));
        Assert.Equal(0, output.EntriesSplit);
    }

    [Fact]
    public void Forty_dimensions_with_sets_whose_union_exceeds_30_are_split_across_documents()
    {
        var dimensions = Enumerable.Range(0, 40).ToDictionary(i => $"d{i:D2}", i => $"v{i}");
        var first = dimensions.Keys.Take(20).ToArray();
        var second = dimensions.Keys.Skip(20).ToArray();
        var third = dimensions.Keys.Take(5).ToArray();
        var fourth = dimensions.Keys.Skip(5).Take(30).ToArray();
        var fifth = dimensions.Keys.Take(30).ToArray();
        var (output, lines) = Start(new EmfSettings { Namespace = "N", DimensionSets = [first, second, third, fourth, fifth] });

        var documents = Documents(output, lines, OutputEntries.Make(dimensions: dimensions, fields: OutputEntries.NumberFields(3)));

        // First fit: {first, third, fifth} (d00-d29), {second} (d20-d39), {fourth} (d05-d34: fits neither).
        Assert.Equal(3, documents.Count);
        Assert.Equal([first, third, fifth], DimensionSets(documents[0]));
        Assert.Equal([second], DimensionSets(documents[1]));
        Assert.Equal([fourth], DimensionSets(documents[2]));
        Assert.All(documents, d =>
        {
            Assert.True(DimensionSets(d).SelectMany(s => s).Distinct().Count() <= 30);
            Assert.Equal(4, Units(d).Count);
            // Every entry dimension travels in every document, referenced or not.
            Assert.All(dimensions, pair => Assert.Equal(pair.Value, d.GetProperty(pair.Key).GetString()));
        });
        Assert.Equal(1, output.EntriesSplit);
    }

    [Fact]
    public void Dimension_and_metric_limits_combine()
    {
        var dimensions = Enumerable.Range(0, 40).ToDictionary(i => $"d{i:D2}", i => $"v{i}");
        var (output, lines) = Start(new EmfSettings { Namespace = "N", DimensionSets = [dimensions.Keys.Take(25).ToArray(), dimensions.Keys.Skip(25).ToArray()] });
        var documents = Documents(output, lines, OutputEntries.Make(dimensions: dimensions, fields: OutputEntries.NumberFields(149)));
        Assert.Equal(4, documents.Count); // 2 dimension groups x 2 metric chunks
    }

    [Fact]
    public void A_dimension_set_of_more_than_30_names_is_refused_at_construction_naming_the_set()
    {
        var tooMany = Enumerable.Range(0, 31).Select(i => $"d{i}").ToArray();
        var error = Assert.Throws<ArgumentException>(() => new EmfOutput(new EmfSettings { Namespace = "N", DimensionSets = [["service"], tooMany] }, LineTarget.Of(TextWriter.Null)));
        Assert.Contains("DimensionSets[1]", error.Message);
        Assert.Contains("[d0, d1,", error.Message);
        Assert.Contains("31 dimensions", error.Message);
    }

    [Theory]
    [InlineData("", "Namespace")]
    [InlineData("AWS/Lambda", "AWS/")]
    public void A_bad_namespace_is_refused(string ns, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => new EmfOutput(new EmfSettings { Namespace = ns }, LineTarget.Of(TextWriter.Null)));
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("EntryId")]
    [InlineData("_aws")]
    public void Reserved_members_cannot_be_dimensions(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => new EmfOutput(new EmfSettings { Namespace = "N", DimensionSets = [[name]] }, LineTarget.Of(TextWriter.Null)));
        Assert.Contains($"'{name}'", error.Message);
    }

    [Fact]
    public void NaN_and_infinities_are_dropped_and_counted()
    {
        var (output, lines) = Start();
        var document = Assert.Single(Documents(output, lines, OutputEntries.Make(
            fields: new Dictionary<string, FieldValue> { ["nan"] = double.NaN, ["inf"] = double.PositiveInfinity, ["ninf"] = double.NegativeInfinity, ["ok"] = 1 },
            distributions: new Dictionary<string, DistributionSummary> { ["d"] = new(1, double.NaN, 1, 1, FieldUnit.None, []) })));

        Assert.Equal(["Duration", "ok", "d.count", "d.min", "d.max"], Units(document).Keys);
        Assert.False(document.TryGetProperty("nan", out _));
        Assert.Equal(4, output.NonFiniteValues);
        Assert.Equal(4, output.MetricsDropped);
    }

    [Fact]
    public void Invalid_and_clashing_metric_names_are_dropped_and_counted()
    {
        var (output, lines) = Start();
        var document = Assert.Single(Documents(output, lines, OutputEntries.Make(
            fields: new Dictionary<string, FieldValue> { [""] = 1, [new string('x', 256)] = 2, [new string('y', 255)] = 3, ["tenant"] = 4, ["EntryId"] = 5, ["c"] = 6 },
            counters: new Dictionary<string, long> { ["c"] = 7 })));

        Assert.Equal(["Duration", new string('y', 255), "c"], Units(document).Keys);
        Assert.Equal(6, document.GetProperty("c").GetDouble()); // the field came first
        Assert.Equal("t1", document.GetProperty("tenant").GetString()); // the dimension kept its name
        Assert.Equal(2, output.InvalidNames);
        Assert.Equal(3, output.NameClashes);
        Assert.Equal(5, output.MetricsDropped);
    }

    [Fact]
    public void Names_with_lone_surrogates_are_dropped_since_they_would_collapse_into_one_member()
    {
        var (output, lines) = Start();
        var document = Assert.Single(Documents(output, lines, OutputEntries.Make(
            dimensions: new Dictionary<string, string> { ["service"] = "a\ud800", ["d\ud800"] = "x", ["d\udc00"] = "y" },
            fields: new Dictionary<string, FieldValue> { ["x\ud800"] = 1, ["x\udc00"] = 2, ["s\ud800"] = "a", ["s\udc00"] = "b", ["ok\ud83e\udd86"] = 3 })));
        Assert.Equal(["Duration", "ok\ud83e\udd86"], Units(document).Keys);
        Assert.Equal("a\ufffd", document.GetProperty("service").GetString());
        Assert.Equal(2, output.InvalidNames);
    }

    [Fact]
    public void An_entry_no_set_applies_to_is_published_without_dimensions()
    {
        var (output, lines) = Start();
        var document = Assert.Single(Documents(output, lines, OutputEntries.Make(dimensions: new Dictionary<string, string> { ["tenant"] = "t1" })));
        Assert.Equal([[]], DimensionSets(document));
    }

    [Fact]
    public void An_empty_dimension_value_makes_its_set_not_apply()
    {
        var (output, lines) = Start();
        var document = Assert.Single(Documents(output, lines, OutputEntries.Make(dimensions: new Dictionary<string, string> { ["service"] = "" })));
        Assert.Equal([[]], DimensionSets(document));
    }

    [Fact]
    public void Operation_and_CloseReason_can_be_dimensions_and_shadow_entry_dimensions_of_those_names()
    {
        var (output, lines) = Start(new EmfSettings { Namespace = "N", DimensionSets = [["Operation", "CloseReason"]] });
        var document = Assert.Single(Documents(output, lines, OutputEntries.Make(
            dimensions: new Dictionary<string, string> { ["Operation"] = "spoofed" }, reason: CloseReason.ForceFlushed)));
        Assert.Equal([["Operation", "CloseReason"]], DimensionSets(document));
        Assert.Equal("GetDucks", document.GetProperty("Operation").GetString());
        Assert.Equal("forceFlushed", document.GetProperty("CloseReason").GetString());
    }

    [Fact]
    public void The_metrics_setting_selects_values_by_source_or_published_name()
    {
        var (output, lines) = Start(Settings with { Metrics = ["rows", "latency.p99", "cpu"] });
        var document = Assert.Single(Documents(output, lines, OutputEntries.Rich()));
        Assert.Equal(["cpu", "rows", "latency.p99"], Units(document).Keys);
        Assert.Equal(0, output.MetricsDropped);
    }

    [Fact]
    public void A_whole_distribution_is_selected_by_its_name_and_an_empty_one_publishes_count_and_sum_only()
    {
        var (output, lines) = Start(Settings with { Metrics = ["latency", "empty"] });
        var document = Assert.Single(Documents(output, lines, OutputEntries.Make(distributions: new Dictionary<string, DistributionSummary>
        {
            ["latency"] = new(2, 3, 1, 2, FieldUnit.Seconds, [new(0.5, 1)]),
            ["empty"] = new(0, 0, double.PositiveInfinity, double.NegativeInfinity, FieldUnit.Seconds, []),
        })));
        Assert.Equal(["latency.count", "latency.sum", "latency.min", "latency.max", "latency.p50", "empty.count", "empty.sum"], Units(document).Keys);
        Assert.Equal("Seconds", Units(document)["latency.p50"]);
        Assert.Equal(0, output.MetricsDropped);
    }

    [Fact]
    public void An_entry_with_no_metric_left_still_writes_one_valid_document_without_directives()
    {
        var (output, lines) = Start(Settings with { Metrics = ["nothing"] });
        var document = Assert.Single(Documents(output, lines, OutputEntries.Make()));
        Assert.Equal(0, document.GetProperty("_aws").GetProperty("CloudWatchMetrics").GetArrayLength());
        Assert.Equal("e1", document.GetProperty("EntryId").GetString());
    }

    [Fact]
    public void Names_and_values_that_need_escaping_round_trip()
    {
        var (output, lines) = Start(new EmfSettings { Namespace = "N", DimensionSets = [["tenant \"x\""]] });
        var document = Assert.Single(Documents(output, lines, OutputEntries.Make(
            dimensions: new Dictionary<string, string> { ["tenant \"x\""] = "ü\u2028\t" },
            fields: new Dictionary<string, FieldValue> { ["µs \"q\"\n"] = FieldValue.Of(1, FieldUnit.Microseconds) })));
        Assert.Equal("ü\u2028\t", document.GetProperty("tenant \"x\"").GetString());
        Assert.Equal(1, document.GetProperty("µs \"q\"\n").GetDouble());
    }

    [Fact]
    public void Concurrent_writers_sharing_one_output_produce_whole_valid_documents()
    {
        var (output, lines) = Start();
        Parallel.For(0, 8, shard =>
        {
            for (var b = 0; b < 50; b++)
                output.Write([OutputEntries.Rich($"s{shard}-b{b}-0"), OutputEntries.Make($"s{shard}-b{b}-1", fields: OutputEntries.NumberFields(150))]);
        });
        Assert.Equal(8 * 50 * 3, lines.Lines.Count);
        Assert.All(lines.Lines, line => Assert.Empty(EmfDocumentValidator.Validate(line)));
        Assert.Equal(8 * 50 * 3, output.DocumentsWritten);
    }

    [Fact]
    public void Writing_after_dispose_throws_and_dispose_is_idempotent()
    {
        var (output, _) = Start();
        output.Dispose();
        output.Dispose();
        Assert.Throws<ObjectDisposedException>(() => output.Write([OutputEntries.Make()]));
        Assert.Equal("emf:stdout", output.Name);
    }
}
