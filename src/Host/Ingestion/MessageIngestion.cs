using Aggregator.Contracts.Wire;
using Aggregator.Host.Api;
using Aggregator.Host.Configuration;
using Microsoft.Extensions.Options;

namespace Aggregator.Host.Ingestion;

/// <summary>
/// POST /v1/messages: the network's way into the entry region. The body (a JSON array or NDJSON) is read whole,
/// parsed by <see cref="WireBatchReader"/>, and its valid messages are handed in their order to the
/// <see cref="IIngestTarget"/>: the local entry region, or the shard queues in cluster mode. Answers: 202 <c>{"accepted":n}</c>; 200 with <c>rejected</c> when some
/// messages were invalid (the valid ones are applied); 400 when the body cannot be read at all (with the position);
/// 413 over <see cref="HttpOptions.MaxRequestBytes"/>; 503 + Retry-After under backpressure (nothing applied).
/// </summary>
internal sealed class MessageIngestion(
    IIngestTarget target,
    Admission admission,
    IngestionStatistics statistics,
    IOptions<AggregatorOptions> options)
{
    private readonly HttpOptions http = options.Value.Http;
    private readonly WireLimits limits = options.Value.Http.ToWireLimits();

    public async Task HandleAsync(HttpContext context)
    {
        statistics.CountRequest();
        if (admission.Refusal() is { } refusal)
        {
            statistics.CountUnavailable();
            await ApiError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, refusal, retryAfterSeconds: http.RetryAfterSeconds);
            return;
        }
        using var body = await RequestBody.ReadAsync(context.Request, http.MaxRequestBytes, context.RequestAborted);
        if (body is null)
        {
            statistics.CountTooLarge();
            await ApiError.WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
                $"the body is larger than the limit of {http.MaxRequestBytes} bytes (Aggregator:Http:MaxRequestBytes); split the batch",
                w => w.WriteNumber("limitBytes"u8, http.MaxRequestBytes));
            return;
        }
        WireBatch batch;
        try
        {
            batch = WireBatchReader.Read(body.Span, FormatOf(context.Request), limits);
        }
        catch (WireFormatException ex)
        {
            statistics.CountMalformed();
            await ApiError.WriteAsync(context, StatusCodes.Status400BadRequest, ex.Message, w =>
            {
                w.WriteNumber("line"u8, ex.Line + 1);
                w.WriteNumber("byte"u8, ex.BytePositionInLine + 1);
            });
            return;
        }
        // The body was read after admission; a sink that filled up meanwhile still gets this batch, which is
        // bounded by the body limit, rather than half of it.
        try
        {
            await target.DeliverAsync(batch, body.Memory, context.RequestAborted);
        }
        catch (IngestUnavailableException ex)
        {
            statistics.CountUnavailable();
            await ApiError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ex.Message, retryAfterSeconds: http.RetryAfterSeconds);
            return;
        }
        statistics.CountApplied(batch.Messages.Count, batch.Rejected.Count);
        await WriteOutcomeAsync(context, batch);
    }

    private static WireBodyFormat FormatOf(HttpRequest request) =>
        request.ContentType is { } type && (type.StartsWith("application/x-ndjson", StringComparison.OrdinalIgnoreCase)
                                            || type.StartsWith("application/jsonl", StringComparison.OrdinalIgnoreCase))
            ? WireBodyFormat.NdJson
            : WireBodyFormat.JsonArray;

    private static Task WriteOutcomeAsync(HttpContext context, WireBatch batch)
    {
        context.Response.StatusCode = batch.Rejected.Count == 0 ? StatusCodes.Status202Accepted : StatusCodes.Status200OK;
        return ApiJson.WriteAsync(context, writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("accepted"u8, batch.Messages.Count);
            if (batch.Rejected.Count > 0)
            {
                writer.WriteStartArray("rejected"u8);
                foreach (var rejection in batch.Rejected)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("index"u8, rejection.Index);
                    writer.WriteString("error"u8, rejection.Error);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        });
    }
}
