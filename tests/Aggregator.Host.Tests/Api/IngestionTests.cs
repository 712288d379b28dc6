using System.Net;
using System.Text.Json;

namespace Aggregator.Host.Tests.Api;

/// <summary>POST /v1/messages end to end over real HTTP (Kestrel on loopback) into the real SQLite store.</summary>
public sealed class IngestionTests : IAsyncLifetime
{
    private TestAggregatorHost host = null!;
    private ApiClient api = null!;

    public async Task InitializeAsync()
    {
        host = await TestAggregatorHost.StartAsync(kestrel: true);
        api = new ApiClient(host.CreateClient());
    }

    public async Task DisposeAsync()
    {
        api.Http.Dispose();
        await host.DisposeAsync();
    }

    [Fact]
    public async Task Every_message_shape_of_one_ndjson_request_lands_in_the_closed_entry()
    {
        var (status, body, _) = await api.PostNdjsonAsync(
            """{"op":"open","entry":"e-1","operation":"GetItem","dimensions":{"Region":"eu"},"forceFlushAfterMs":30000,"maxLifetimeMs":300000}""",
            """{"op":"set","entry":"e-1","field":"Status","value":"ok"}""",
            """{"op":"set","entry":"e-1","field":"Cached","value":true}""",
            """{"op":"set","entry":"e-1","field":"Bytes","value":4096,"unit":"bytes"}""",
            """{"op":"add","entry":"e-1","counter":"Retries","delta":1}""",
            """{"op":"add","entry":"e-1","counter":"Retries","delta":2}""",
            """{"op":"observe","entry":"e-1","name":"DownstreamMs","value":12.5,"unit":"ms"}""",
            """{"op":"observe","entry":"e-1","name":"DownstreamMs","value":7.5}""",
            """{"op":"openSlot","entry":"e-1","slot":"Db","mode":"wait"}""",
            """{"op":"set","entry":"e-1","slot":"Db","field":"Rows","value":3}""",
            """{"op":"add","entry":"e-1","slot":"Db","counter":"Calls","delta":2}""",
            """{"op":"completeSlot","entry":"e-1","slot":"Db"}""",
            """{"op":"acquireGuard","entry":"e-1","guard":"g1","force":false}""",
            """{"op":"releaseGuard","entry":"e-1","guard":"g1"}""",
            """{"op":"close","entry":"e-1"}""");

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(15, body.GetProperty("accepted").GetInt32());
        Assert.False(body.TryGetProperty("rejected", out _));

        var entry = await api.ClosedEntryAsync("e-1");
        Assert.Equal("e-1", ApiClient.IdOf(entry));
        Assert.Equal("GetItem", entry.GetProperty("operation").GetString());
        Assert.Equal("eu", entry.GetProperty("dimensions").GetProperty("Region").GetString());
        var fields = entry.GetProperty("fields");
        Assert.Equal("ok", fields.GetProperty("Status").GetString());
        Assert.True(fields.GetProperty("Cached").GetBoolean());
        Assert.Equal(3, fields.GetProperty("Db.Rows").GetDouble());
        Assert.Equal(3, entry.GetProperty("counters").GetProperty("Retries").GetInt64());
        Assert.Equal(2, entry.GetProperty("counters").GetProperty("Db.Calls").GetInt64());
        var latency = entry.GetProperty("distributions").GetProperty("DownstreamMs");
        Assert.Equal(2, latency.GetProperty("count").GetInt64());
        Assert.Equal(20, latency.GetProperty("sum").GetDouble());
        Assert.Equal("completed", entry.GetProperty("closeReason").GetString());
        Assert.Empty(entry.GetProperty("pending").EnumerateArray());
    }

    [Fact]
    public async Task Invalid_messages_are_rejected_by_index_and_the_valid_ones_still_apply()
    {
        var (status, body, _) = await api.PostArrayAsync(
            """{"op":"open","entry":"e-2","operation":"GetItem"}""",
            """{"op":"teleport","entry":"e-2"}""",
            """{"op":"add","entry":"e-2","counter":"Retries","delta":-1}""",
            """{"op":"add","entry":"e-2","counter":"Retries","delta":4}""",
            """{"op":"set","entry":"e-2","field":"Status"}""",
            """{"op":"close","entry":"e-2"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, body.GetProperty("accepted").GetInt32());
        var rejected = body.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal([1, 2, 4], rejected.Select(r => r.GetProperty("index").GetInt32()));
        Assert.Contains("unknown op \"teleport\"", rejected[0].GetProperty("error").GetString());
        Assert.Contains("\"delta\" must not be negative", rejected[1].GetProperty("error").GetString());
        Assert.Contains("set: missing \"value\"", rejected[2].GetProperty("error").GetString());

        var entry = await api.ClosedEntryAsync("e-2");
        Assert.Equal(4, entry.GetProperty("counters").GetProperty("Retries").GetInt64());
    }

    [Fact]
    public async Task An_unreadable_array_body_is_400_with_the_position_and_nothing_applies()
    {
        var (status, body, _) = await api.PostAsync("[{\"op\":\"open\",\"entry\":\"e-3\",\"operation\":\"GetItem\"},\n{\"op\": ]", "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(2, body.GetProperty("line").GetInt64());
        Assert.Contains("not valid JSON at line 2", body.GetProperty("error").GetString());
        var (lookup, _, _) = await api.GetAsync("/v1/entries/e-3");
        Assert.Equal(HttpStatusCode.NotFound, lookup);
    }

    [Fact]
    public async Task An_empty_body_is_400()
    {
        var (status, body, _) = await api.PostAsync("", "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("the body is empty", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_open_entry_answers_with_its_state_and_what_it_waits_for()
    {
        await api.PostNdjsonAsync(
            """{"op":"open","entry":"e-4","operation":"GetItem"}""",
            """{"op":"acquireGuard","entry":"e-4","guard":"upload"}""",
            """{"op":"add","entry":"e-4","counter":"Parts","delta":2}""",
            """{"op":"close","entry":"e-4"}""");

        var (status, body, _) = await api.GetAsync("/v1/entries/e-4");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("open", body.GetProperty("state").GetString());
        Assert.False(body.TryGetProperty("closeReason", out _));
        Assert.Equal(["guard:upload"], body.GetProperty("pending").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(2, body.GetProperty("counters").GetProperty("Parts").GetInt64());

        await api.PostNdjsonAsync("""{"op":"releaseGuard","entry":"e-4","guard":"upload"}""");
        var closed = await api.ClosedEntryAsync("e-4");
        Assert.Equal("completed", closed.GetProperty("closeReason").GetString());
    }

    [Fact]
    public async Task An_unknown_entry_is_404()
    {
        var (status, body, _) = await api.GetAsync("/v1/entries/never-opened");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("never-opened", body.GetProperty("error").GetString());
    }
}
