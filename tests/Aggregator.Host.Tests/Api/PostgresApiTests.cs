using System.Net;
using Aggregator.Host.Tests.TestServices;

namespace Aggregator.Host.Tests.Api;

/// <summary>The HTTP API end to end on the production store: the test PostgreSQL, a schema of its own per test.</summary>
public sealed class PostgresApiTests
{
    private const string Variable = "AGGREGATOR_TEST_POSTGRES";

    private static Task<ApiHost> StartAsync() => ApiHost.StartAsync(new Dictionary<string, string?>
    {
        ["Aggregator:Store"] = "postgres",
        ["Aggregator:PostgresConnectionString"] = Environment.GetEnvironmentVariable(Variable),
        ["Aggregator:PostgresSchema"] = "api_" + Guid.NewGuid().ToString("N")[..12],
        ["Aggregator:Sinks:AggregateFlushSeconds"] = "1",
    });

    [ServiceFact(Variable)]
    public async Task Messages_in_entries_and_aggregates_out()
    {
        await using var service = await StartAsync();
        var lines = new List<string>();
        for (var i = 1; i <= 20; i++)
        {
            lines.Add($$"""{"op":"open","entry":"pg-{{i}}","operation":"PgItem"}""");
            lines.Add($$"""{"op":"openSlot","entry":"pg-{{i}}","slot":"Db"}""");
            lines.Add($$"""{"op":"set","entry":"pg-{{i}}","slot":"Db","field":"Rows","value":{{i}}}""");
            lines.Add($$"""{"op":"completeSlot","entry":"pg-{{i}}","slot":"Db"}""");
            lines.Add($$"""{"op":"observe","entry":"pg-{{i}}","name":"LatencyMs","value":{{i}}}""");
            lines.Add($$"""{"op":"close","entry":"pg-{{i}}"}""");
        }

        var (status, body, _) = await service.Api.PostNdjsonAsync(lines.ToArray());

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(120, body.GetProperty("accepted").GetInt32());
        var entry = await service.Api.ClosedEntryAsync("pg-7");
        Assert.Equal(7, entry.GetProperty("fields").GetProperty("Db.Rows").GetDouble());
        var aggregates = await Eventually.GetAsync(async () =>
        {
            var (_, answer, _) = await service.Api.GetAsync("/v1/aggregates?operation=PgItem&quantiles=0.5");
            var groups = answer.GetProperty("groups").EnumerateArray().ToList();
            return (groups.Count == 1 && groups[0].GetProperty("count").GetInt64() == 20, answer);
        }, "all 20 entries in the aggregates");
        var latency = aggregates.GetProperty("groups")[0].GetProperty("distributions").GetProperty("LatencyMs");
        Assert.Equal(210, latency.GetProperty("sum").GetDouble());
        Assert.InRange(latency.GetProperty("quantiles").GetProperty("0.5").GetDouble(), 10 * 0.99, 11 * 1.01);
        var (pageStatus, page, _) = await service.Api.GetAsync("/v1/entries?operation=PgItem&limit=50");
        Assert.Equal(HttpStatusCode.OK, pageStatus);
        Assert.Equal(20, page.GetProperty("entries").GetArrayLength());
    }

    [ServiceFact(Variable)]
    public async Task Readiness_probes_the_postgres_store()
    {
        await using var service = await StartAsync();

        var (status, body, _) = await service.Api.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ready", body.GetProperty("status").GetString());
    }
}
