using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Polly;
using Polly.Retry;

namespace Aggregator.Contracts.Client;

/// <summary>What became of one batch after its retries.</summary>
internal enum DeliveryResult
{
    /// <summary>202: every message applied.</summary>
    Accepted,

    /// <summary>200: the valid messages applied, the rest listed in <see cref="DeliveryOutcome.Rejections"/>.</summary>
    PartlyRejected,

    /// <summary>Given up on: a status that retrying cannot fix (400, 413, …), or retries exhausted.</summary>
    Failed,
}

internal readonly record struct DeliveryOutcome(
    DeliveryResult Result,
    int Accepted,
    IReadOnlyList<(int Index, string Error)> Rejections,
    BatchFailure? Failure);

/// <summary>
/// Posts one NDJSON body to <c>/v1/messages</c>, retrying through a Polly pipeline what waiting can fix — 503 (the
/// service is overloaded, starting or stopping, and applied nothing) and connection failures — with exponential
/// backoff and jitter, honouring a Retry-After up to <see cref="AggregatorClientOptions.MaxRetryDelay"/>. 400 and 413
/// are never retried: the same bytes would be refused again.
/// </summary>
/// <remarks>
/// A retry after a connection failure may repeat a request the service had already applied (the connection broke
/// after the body was read). Opens and closes are idempotent on the service; a repeated add or observe is not, so
/// delivery after a connection failure is at least once.
/// </remarks>
internal sealed class BatchDelivery
{
    private static readonly MediaTypeHeaderValue NdJson = new("application/x-ndjson");

    private readonly HttpClient http;
    private readonly Uri endpoint;
    private readonly ResiliencePipeline<HttpResponseMessage> pipeline;

    public BatchDelivery(HttpClient http, AggregatorClientOptions options, ClientCounters counters)
    {
        this.http = http;
        var root = options.BaseAddress.AbsoluteUri.EndsWith('/') ? options.BaseAddress : new Uri(options.BaseAddress.AbsoluteUri + "/");
        endpoint = new Uri(root, "v1/messages");
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (options.MaxRetryAttempts > 0)
        {
            var cap = options.MaxRetryDelay;
            var floor = options.RetryDelay;
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryDelay,
                MaxDelay = cap,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, floor, cap)),
                OnRetry = _ =>
                {
                    ClientCounters.Count(ref counters.Retries);
                    return ValueTask.CompletedTask;
                },
            });
        }
        pipeline = builder.Build();
    }

    /// <summary>
    /// Sends the body until it is answered for good. Throws only <see cref="OperationCanceledException"/> for
    /// <paramref name="stopping"/> (disposal gave up waiting); every other failure is an outcome.
    /// </summary>
    public async Task<DeliveryOutcome> SendAsync(ReadOnlyMemory<byte> body, int messages, CancellationToken stopping)
    {
        HttpResponseMessage response;
        try
        {
            response = await pipeline.ExecuteAsync(static async (state, token) =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, state.endpoint) { Content = new ReadOnlyMemoryContent(state.body) };
                request.Content.Headers.ContentType = NdJson;
                return await state.http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token).ConfigureAwait(false);
            }, (http, endpoint, body), stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or IOException)
        {
            var what = exception is OperationCanceledException ? "the request timed out" : "the connection failed";
            return Failed(new BatchFailure(messages, null, $"{what}: {exception.Message}", exception));
        }

        using (response)
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.Accepted:
                    return new DeliveryOutcome(DeliveryResult.Accepted, messages, [], null);
                case HttpStatusCode.OK:
                    var text = await response.Content.ReadAsByteArrayAsync(stopping).ConfigureAwait(false);
                    return ReadPartial(text, messages);
                default:
                    var error = await ErrorOf(response, stopping).ConfigureAwait(false);
                    var retried = response.StatusCode == HttpStatusCode.ServiceUnavailable ? " (retries exhausted)" : "";
                    return Failed(new BatchFailure(messages, response.StatusCode, $"{(int)response.StatusCode}{retried}: {error}", null));
            }
        }
    }

    private static DeliveryOutcome Failed(BatchFailure failure) => new(DeliveryResult.Failed, 0, [], failure);

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken stopping) => outcome switch
    {
        { Exception: OperationCanceledException } => !stopping.IsCancellationRequested,
        { Exception: HttpRequestException or IOException } => true,
        { Exception: not null } => false,
        { Result.StatusCode: HttpStatusCode.ServiceUnavailable } => true,
        _ => false,
    };

    /// <summary>The service's Retry-After, kept between the first retry's delay and the cap (a "0" must not make a tight loop); null lets the backoff decide.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan floor, TimeSpan cap)
    {
        if (response?.Headers.RetryAfter is not { } retryAfter) return null;
        var delay = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (delay is not { } wait) return null;
        return wait < floor ? floor : wait > cap ? cap : wait;
    }

    /// <summary>Reads <c>{"accepted":n,"rejected":[{"index":i,"error":"…"}]}</c>.</summary>
    private static DeliveryOutcome ReadPartial(byte[] body, int messages)
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
            return new DeliveryOutcome(DeliveryResult.PartlyRejected, accepted, rejections, null);
        }
        catch (JsonException exception)
        {
            // A 200 means the valid messages were applied; an unreadable answer loses only which ones were refused.
            return new DeliveryOutcome(DeliveryResult.PartlyRejected, messages, [], new BatchFailure(0, HttpStatusCode.OK, "unreadable 200 body: " + exception.Message, exception));
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
}
