using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Aggregator.Host.Tests.Api;

/// <summary>GET /v1/entries (paged) and GET /v1/aggregates (grouped, with quantiles) over real HTTP, and their 400s.</summary>
public sealed class QueryTests : IAsyncLifetime
{
    private ApiHost service = null!;
    private ApiClient Api => service.Api;

    public async Task InitializeAsync() =>
        service = await ApiHost.StartAsync(new Dictionary<string, string?> { ["Aggregator:Sinks:AggregateFlushSeconds"] = "1" });

    public async Task DisposeAsync() => await service.DisposeAsync();

    [Fact]
    public async Task Entries_of_an_operation_come_a_page_at_a_time_each_exactly_once()
    {
        var ids = Enumerable.Range(0, 25).Select(i => $"page-{i:00}").ToList();
        await Api.PostNdjsonAsync(ids.SelectMany(id => new[]
        {
            $$"""{"op":"open","entry":"{{id}}","operation":"Paged"}""",
            $$"""{"op":"close","entry":"{{id}}"}""",
        }).ToArray());
        foreach (var id in ids) await Api.ClosedEntryAsync(id);

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var path = "/v1/entries?operation=Paged&limit=10" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var (status, page, _) = await Api.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, status);
            var entries = page.GetProperty("entries").EnumerateArray().ToList();
            Assert.True(entries.Count <= 10);
            seen.AddRange(entries.Select(ApiClient.IdOf));
            cursor = page.GetProperty("cursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("cursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(ids.Order(), seen.Order());
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Aggregates_group_by_a_dimension_with_counts_close_reasons_and_quantiles()
    {
        var lines = new List<string>();
        for (var i = 1; i <= 100; i++)
        {
            var region = i % 2 == 0 ? "eu" : "us";
            lines.Add($$$"""{"op":"open","entry":"agg-{{{i}}}","operation":"Aggregated","dimensions":{"Region":"{{{region}}}"}}""");
            lines.Add($$"""{"op":"set","entry":"agg-{{i}}","field":"LatencyMs","value":{{i}}}""");
            lines.Add($$"""{"op":"add","entry":"agg-{{i}}","counter":"Retries","delta":1}""");
            lines.Add($$"""{"op":"close","entry":"agg-{{i}}"}""");
        }
        await Api.PostNdjsonAsync(lines.ToArray());

        var result = await Eventually.GetAsync(async () =>
        {
            var (status, body, _) = await Api.GetAsync("/v1/aggregates?operation=Aggregated&groupBy=Region&quantiles=0.5,0.99");
            Assert.Equal(HttpStatusCode.OK, status);
            var total = body.GetProperty("groups").EnumerateArray().Sum(g => g.GetProperty("count").GetInt64());
            return (total == 100, body);
        }, "all 100 entries in the aggregates");

        var groups = result.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("dimensions").GetProperty("Region").GetString()!);
        Assert.Equal(["eu", "us"], groups.Keys.Order());
        var eu = groups["eu"];
        Assert.Equal(50, eu.GetProperty("count").GetInt64());
        Assert.Equal(50, eu.GetProperty("closeReasons").GetProperty("completed").GetInt64());
        var latency = eu.GetProperty("fields").GetProperty("LatencyMs");
        Assert.Equal(50, latency.GetProperty("count").GetInt64());
        Assert.Equal(Enumerable.Range(1, 50).Sum(i => 2 * i), latency.GetProperty("sum").GetDouble());
        Assert.Equal(2, latency.GetProperty("min").GetDouble());
        Assert.Equal(100, latency.GetProperty("max").GetDouble());
        // The exact median of 2, 4, …, 100 is 50 (nearest rank); the sketch is within 1 %.
        Assert.InRange(latency.GetProperty("quantiles").GetProperty("0.5").GetDouble(), 50 * 0.99, 52 * 1.01);
        Assert.InRange(latency.GetProperty("quantiles").GetProperty("0.99").GetDouble(), 98 * 0.99, 100 * 1.01);
        Assert.Equal(50, eu.GetProperty("counters").GetProperty("Retries").GetProperty("sum").GetDouble());
    }

    [Theory]
    [InlineData("/v1/aggregates", "operation")]
    [InlineData("/v1/aggregates?operation=X&from=yesterday", "from")]
    [InlineData("/v1/aggregates?operation=X&to=2026-13-40", "to")]
    [InlineData("/v1/aggregates?operation=X&from=2026-11-21T10:00:00Z&to=2026-11-21T09:00:00Z", "to")]
    [InlineData("/v1/aggregates?operation=X&quantiles=0.5,2", "quantiles")]
    [InlineData("/v1/aggregates?operation=X&quantiles=p99", "quantiles")]
    [InlineData("/v1/aggregates?operation=X&groupBy=Region,,Tenant", "groupBy")]
    [InlineData("/v1/entries", "operation")]
    [InlineData("/v1/entries?operation=X&limit=0", "limit")]
    [InlineData("/v1/entries?operation=X&limit=5000", "limit")]
    [InlineData("/v1/entries?operation=X&limit=ten", "limit")]
    public async Task A_bad_query_parameter_is_400_naming_it(string path, string parameter)
    {
        var (status, body, _) = await Api.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(parameter, body.GetProperty("parameter").GetString());
        Assert.Contains($"\"{parameter}\"", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Times_are_iso_8601_utc_in_answers()
    {
        await Api.PostNdjsonAsync("""{"op":"open","entry":"time-1","operation":"Timed"}""", """{"op":"close","entry":"time-1"}""");

        var entry = await Api.ClosedEntryAsync("time-1");
        var (_, aggregates, _) = await Api.GetAsync("/v1/aggregates?operation=Timed&from=2026-01-01T00:00:00Z&to=2030-01-01T00:00:00Z");

        foreach (var text in new[] { entry.GetProperty("openedAt").GetString()!, aggregates.GetProperty("from").GetString()! })
        {
            var parsed = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
            Assert.Equal(TimeSpan.Zero, parsed.Offset);
        }
    }
}
