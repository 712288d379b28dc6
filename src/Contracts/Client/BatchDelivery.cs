using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Aggregator.Contracts.Client;

/// <summary>
/// The default <see cref="IBatchTransport"/>: posts one NDJSON body to <c>/v1/messages</c> over the client's own
/// <see cref="HttpClient"/>. What waiting can fix is answered <see cref="BatchResult.Transient"/> for the client to retry
/// (<see cref="BatchRetry"/>): 503 (the service is overloaded, starting or stopping, and applied nothing; its
/// Retry-After passed on) and connection failures or timeouts. 400 and 413 are failed for good: the same bytes would be
/// refused again. Partitions are the client's <see cref="AggregatorClientOptions.Senders"/>.
/// </summary>
/// <remarks>
/// A retry after a connection failure may repeat a request the service had already applied (the connection broke
/// after the body was read). Opens and closes are idempotent on the service; a repeated add or observe is not, so
/// delivery after a connection failure is at least once.
/// </remarks>
internal sealed class BatchDelivery : IBatchTransport
{
    private static readonly MediaTypeHeaderValue NdJson = new("application/x-ndjson");

    private readonly HttpClient http;
    private readonly Uri endpoint;

    public BatchDelivery(AggregatorClientOptions options)
    {
        http = new HttpClient(options.Handler ?? DefaultHandler(options), disposeHandler: true) { Timeout = options.RequestTimeout };
        var root = options.BaseAddress.AbsoluteUri.EndsWith('/') ? options.BaseAddress : new Uri(options.BaseAddress.AbsoluteUri + "/");
        endpoint = new Uri(root, "v1/messages");
        Partitions = options.Senders;
    }

    public int Partitions { get; }

    public int PartitionOf(string entryId) => (int)((uint)entryId.GetHashCode() % (uint)Partitions);

    /// <summary>One request; throws only <see cref="OperationCanceledException"/> for <paramref name="stopping"/>.</summary>
    public async Task<BatchOutcome> SendAsync(int partition, ReadOnlyMemory<byte> body, int messages, CancellationToken stopping)
    {
        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ReadOnlyMemoryContent(body) };
            request.Content.Headers.ContentType = NdJson;
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or IOException)
        {
            var what = exception is OperationCanceledException ? "the request timed out" : "the connection failed";
            return BatchOutcome.TryAgain(new BatchFailure(messages, null, $"{what}: {exception.Message}", exception));
        }

        using (response)
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.Accepted:
                    return BatchOutcome.AllAccepted(messages);
                case HttpStatusCode.OK:
                    var text = await response.Content.ReadAsByteArrayAsync(stopping).ConfigureAwait(false);
                    return ReadPartial(text, messages);
                case HttpStatusCode.ServiceUnavailable:
                    var unavailable = await ErrorOf(response, stopping).ConfigureAwait(false);
                    return BatchOutcome.TryAgain(new BatchFailure(messages, response.StatusCode, $"503 (retries exhausted): {unavailable}", null), RetryAfter(response));
                default:
                    var error = await ErrorOf(response, stopping).ConfigureAwait(false);
                    return BatchOutcome.GaveUp(new BatchFailure(messages, response.StatusCode, $"{(int)response.StatusCode}: {error}", null));
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        http.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The service's Retry-After as a delay (the client bounds it); null lets the backoff decide.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } retryAfter) return null;
        return retryAfter.Delta ?? (retryAfter.Date is { } date ? date - DateTimeOffset.UtcNow : null);
    }

    /// <summary>Reads <c>{"accepted":n,"rejected":[{"index":i,"error":"…"}]}</c>.</summary>
    private static BatchOutcome ReadPartial(byte[] body, int messages)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var accepted = root.TryGetProperty("accepted", out var a) && a.TryGetInt32(out var n) ? n : 0;
            var rejections = new List<(int, string)>();
            if (root.TryGetProperty("rejected", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in list.EnumerateArray())
                {
                    var index = item.TryGetProperty("index", out var i) && i.TryGetInt32(out var value) ? value : -1;
                    var error = item.TryGetProperty("error", out var e) ? e.GetString() ?? "" : "";
                    rejections.Add((index, error));
                }
            }
            return new BatchOutcome(BatchResult.PartlyRejected, accepted, rejections, null);
        }
        catch (JsonException exception)
        {
            // A 200 means the valid messages were applied; an unreadable answer loses only which ones were refused.
            return new BatchOutcome(BatchResult.PartlyRejected, messages, [], new BatchFailure(0, HttpStatusCode.OK, "unreadable 200 body: " + exception.Message, exception));
        }
    }

    private static async Task<string> ErrorOf(HttpResponseMessage response, CancellationToken stopping)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(stopping).ConfigureAwait(false);
            return text.Length > 500 ? text[..500] + "…" : text;
        }
        catch (HttpRequestException)
        {
            return response.ReasonPhrase ?? "";
        }
    }

    private static SocketsHttpHandler DefaultHandler(AggregatorClientOptions options) => new()
    {
        // Each sender keeps one request in flight; a connection each, kept alive, recycled now and then so DNS
        // changes are seen.
        MaxConnectionsPerServer = Math.Max(options.Senders, 2),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        UseProxy = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
    };
}
