using System.Net;
using System.Text;

namespace Aggregator.Host.Tests.Api;

/// <summary>
/// Bad input over real HTTP: each kind gets its documented answer, and the valid messages alongside still count
/// (checked by the closed entry a valid open/add/close of the same request produces).
/// </summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private ApiHost service = null!;
    private ApiClient Api => service.Api;

    public async Task InitializeAsync() =>
        service = await ApiHost.StartAsync(new Dictionary<string, string?> { ["Aggregator:Http:MaxRequestBytes"] = "65536" });

    public async Task DisposeAsync() => await service.DisposeAsync();

    public static TheoryData<string, string, string> BadLines() => new()
    {
        { "malformed", """{"op":"add","entry":"X","counter":"C","delta":1""", "not valid JSON" },
        { "unknown-op", """{"op":"explode","entry":"X"}""", "unknown op \"explode\"" },
        { "missing-op", """{"entry":"X","counter":"C","delta":1}""", "missing \"op\"" },
        { "missing-field", """{"op":"add","entry":"X","counter":"C"}""", "add: missing \"delta\"" },
        { "mistyped-field", """{"op":"add","entry":"X","counter":"C","delta":"one"}""", "\"delta\" must be a non-negative integer, got a string" },
        { "deep-nesting", """{"op":"set","entry":"X","field":"F","value":""" + new string('[', 500) + new string(']', 500) + "}", "not valid JSON" },
        { "long-name", "{\"op\":\"set\",\"entry\":\"X\",\"field\":\"" + new string('f', 300) + "\",\"value\":1}", "\"field\" is 300 characters long; the limit is 256" },
        { "infinite", """{"op":"observe","entry":"X","name":"N","value":1e999}""", "\"value\" must be a finite number" },
        { "negative-delta", """{"op":"add","entry":"X","counter":"C","delta":-3}""", "\"delta\" must not be negative" },
        { "negative-deadline", """{"op":"open","entry":"X2","operation":"Op","forceFlushAfterMs":-5}""", "\"forceFlushAfterMs\" must be a positive number of milliseconds" },
        { "wrong-mode", """{"op":"openSlot","entry":"X","slot":"S","mode":"later"}""", "\"mode\" must be wait or discard" },
    };

    [Theory]
    [MemberData(nameof(BadLines))]
    public async Task A_bad_ndjson_line_is_rejected_by_index_and_the_rest_of_the_request_applies(string name, string badLine, string expectedError)
    {
        var id = $"bad-{name}";
        var (status, body, _) = await Api.PostNdjsonAsync(
            $$"""{"op":"open","entry":"{{id}}","operation":"BadInput"}""",
            badLine.Replace("\"X\"", $"\"{id}\"", StringComparison.Ordinal),
            $$"""{"op":"add","entry":"{{id}}","counter":"Good","delta":5}""",
            $$"""{"op":"close","entry":"{{id}}"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, body.GetProperty("accepted").GetInt32());
        var rejection = Assert.Single(body.GetProperty("rejected").EnumerateArray());
        Assert.Equal(1, rejection.GetProperty("index").GetInt32());
        Assert.Contains(expectedError, rejection.GetProperty("error").GetString());
        var entry = await Api.ClosedEntryAsync(id);
        Assert.Equal(5, entry.GetProperty("counters").GetProperty("Good").GetInt64());
    }

    [Fact]
    public async Task Invalid_utf8_inside_a_string_costs_only_its_message()
    {
        var body = Encoding.UTF8.GetBytes("""{"op":"open","entry":"utf-1","operation":"BadInput"}""" + "\n")
            .Concat(Encoding.UTF8.GetBytes("{\"op\":\"set\",\"entry\":\"utf-1\",\"field\":\"F\",\"value\":\"")).Concat(new byte[] { 0xC3, 0x28, 0xFF })
            .Concat(Encoding.UTF8.GetBytes("\"}\n" + """{"op":"close","entry":"utf-1"}""" + "\n")).ToArray();

        var (status, answer, _) = await Api.PostBytesAsync(body, "application/x-ndjson");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, answer.GetProperty("accepted").GetInt32());
        Assert.Equal(1, Assert.Single(answer.GetProperty("rejected").EnumerateArray()).GetProperty("index").GetInt32());
        await Api.ClosedEntryAsync("utf-1");
    }

    [Fact]
    public async Task A_body_over_the_configured_limit_is_413_and_nothing_applies()
    {
        var lines = Enumerable.Range(0, 2_000).Select(i => $$"""{"op":"open","entry":"big-{{i}}","operation":"Big"}""").ToArray();

        var (status, body, _) = await Api.PostNdjsonAsync(lines);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(65536, body.GetProperty("limitBytes").GetInt64());
        Assert.Contains("Aggregator:Http:MaxRequestBytes", body.GetProperty("error").GetString());
        var (lookup, _, _) = await Api.GetAsync("/v1/entries/big-0");
        Assert.Equal(HttpStatusCode.NotFound, lookup);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_413_too()
    {
        var payload = Encoding.UTF8.GetBytes(string.Join("\n", Enumerable.Range(0, 2_000).Select(i => $$"""{"op":"open","entry":"chunk-{{i}}","operation":"Big"}""")));
        using var content = new StreamContent(new MemoryStream(payload)); // no Content-Length: sent chunked
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-ndjson");

        using var response = await Api.Http.PostAsync("/v1/messages", content, TestContext.Timeout);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("", "the body is empty")]
    [InlineData("   \n  ", "the body is empty")]
    [InlineData("\"open\"", "expected a JSON array of messages, or NDJSON")]
    [InlineData("[{\"op\":\"close\",\"entry\":\"a\"}] trailing", "not valid JSON")]
    public async Task A_body_that_is_not_a_batch_at_all_is_400(string body, string expected)
    {
        var (status, answer, _) = await Api.PostAsync(body, "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, answer.GetProperty("error").GetString());
    }
}
