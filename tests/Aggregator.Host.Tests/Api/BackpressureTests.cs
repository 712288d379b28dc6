using System.Net;
using Microsoft.Data.Sqlite;

namespace Aggregator.Host.Tests.Api;

/// <summary>
/// A store that cannot take writes fills the sink buffer; the API then answers 503 with Retry-After and applies
/// nothing, and once the store is back the buffer drains: every accepted entry is stored, nothing twice.
/// </summary>
public sealed class BackpressureTests
{
    [Fact]
    public async Task A_full_sink_buffer_is_503_with_retry_after_and_everything_accepted_is_stored_when_the_store_returns()
    {
        await using var service = await ApiHost.StartAsync(new Dictionary<string, string?>
        {
            ["Aggregator:Sinks:Shards"] = "1",
            ["Aggregator:Sinks:BufferCapacity"] = "5",
            ["Aggregator:Sinks:BatchSize"] = "5",
            ["Aggregator:Http:RetryAfterSeconds"] = "2",
        });
        var api = service.Api;
        // Another writer holds the database, as a long migration or a backup might.
        var blocker = new SqliteConnection($"Data Source={Path.Combine(service.Host.DataDirectory, "aggregator.db")}");
        blocker.Open();
        using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            begin.ExecuteNonQuery();
        }

        var accepted = new List<string>();
        var refused = await Eventually.GetAsync(async () =>
        {
            var id = $"bp-{accepted.Count}";
            var (status, body, response) = await api.PostNdjsonAsync(
                $$"""{"op":"open","entry":"{{id}}","operation":"Pressure"}""",
                $$"""{"op":"close","entry":"{{id}}"}""");
            if (status == HttpStatusCode.Accepted) accepted.Add(id);
            return (status == HttpStatusCode.ServiceUnavailable, (Body: body, Response: response, Id: id));
        }, "a 503 while the store is blocked");

        Assert.Equal(TimeSpan.FromSeconds(2), refused.Response.Headers.RetryAfter?.Delta);
        Assert.Contains("overloaded", refused.Body.GetProperty("error").GetString());
        Assert.True(accepted.Count >= 5, $"only {accepted.Count} requests were accepted before the 503");

        blocker.Dispose();
        SqliteConnection.ClearAllPools();

        var pipeline = (Aggregator.Host.Pipeline.EntryPipeline)service.Host.App.Services.GetService(typeof(Aggregator.Host.Pipeline.EntryPipeline))!;
        try
        {
            foreach (var id in accepted) await api.ClosedEntryAsync(id);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException(ex.Message + " accepted=" + accepted.Count + " sinks: " + string.Join("; ", pipeline.Sinks.Snapshot()), ex);
        }
        var (after, _, _) = await api.GetAsync($"/v1/entries/{refused.Id}");
        Assert.Equal(HttpStatusCode.NotFound, after);
        var (status, _, _) = await api.PostNdjsonAsync("""{"op":"open","entry":"bp-after","operation":"Pressure"}""", """{"op":"close","entry":"bp-after"}""");
        Assert.Equal(HttpStatusCode.Accepted, status);
    }
}
