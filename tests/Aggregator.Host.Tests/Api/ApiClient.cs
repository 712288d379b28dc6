using System.Net;
using System.Text;
using System.Text.Json;

namespace Aggregator.Host.Tests.Api;

/// <summary>Thin test-side calls of the HTTP API: raw bodies in, status and parsed JSON out.</summary>
internal sealed class ApiClient(HttpClient http) : IDisposable
{
    public void Dispose() => Http.Dispose();

    /// <summary>The id of a closed entry as the API returns it.</summary>
    public static string IdOf(JsonElement entry) => entry.GetProperty("entry").GetString()!;

    public HttpClient Http { get; } = http;

    public Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostNdjsonAsync(params string[] lines) =>
        PostAsync(string.Join("\n", lines) + "\n", "application/x-ndjson");

    public Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostArrayAsync(params string[] messages) =>
        PostAsync("[" + string.Join(",", messages) + "]", "application/json");

    public Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(string body, string contentType) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(body, Encoding.UTF8, contentType) });

    public Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostBytesAsync(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = content });
    }

    public Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> GetAsync(string path) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    /// <summary>The closed entry once it is stored (polling GET /v1/entries/{id}), or a timeout.</summary>
    public Task<JsonElement> ClosedEntryAsync(string id) =>
        Eventually.GetAsync(async () =>
        {
            var (status, body, _) = await GetAsync($"/v1/entries/{Uri.EscapeDataString(id)}");
            return (status == HttpStatusCode.OK && !body.TryGetProperty("state", out _), body);
        }, $"entry {id} to be stored");

    private async Task<(HttpStatusCode, JsonElement, HttpResponseMessage)> SendAsync(HttpRequestMessage request)
    {
        var response = await Http.SendAsync(request, TestContext.Timeout);
        var text = await response.Content.ReadAsStringAsync(TestContext.Timeout);
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, body, response);
    }
}
