using System.Globalization;
using System.Text.Json;
using Aggregator.Actors.Sinks.Aggregates;
using Aggregator.Host.Api;
using Aggregator.Host.Pipeline;

namespace Aggregator.Host.Queries;

/// <summary>
/// GET /v1/aggregates?operation=&amp;from=&amp;to=&amp;groupBy=&amp;quantiles=: an operation's aggregates over a time range,
/// merged across windows and sink shards, one group per distinct value set of the groupBy dimensions: entry count,
/// close reasons, and per field, counter and distribution count, sum, min, max, mean and the requested quantiles.
/// </summary>
public static class AggregateEndpoints
{
    private const int MaxGroupBy = 10;
    private const int MaxQuantiles = 20;

    public static IEndpointRouteBuilder MapAggregateEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/aggregates", GetAggregatesAsync).RequiresStartedPipeline();
        return endpoints;
    }

    private static async Task GetAggregatesAsync(HttpContext context, EntryPipeline pipeline, TimeProvider clock)
    {
        string operation;
        DateTimeOffset from, to;
        IReadOnlyList<string> groupBy;
        IReadOnlyList<double> quantiles;
        try
        {
            var parameters = new QueryParameters(context.Request.Query);
            operation = parameters.Required("operation");
            (from, to) = parameters.Range(clock.GetUtcNow());
            groupBy = parameters.Names("groupBy", MaxGroupBy);
            quantiles = parameters.Quantiles("quantiles", MaxQuantiles) ?? AggregateQuery.Default.Quantiles;
        }
        catch (QueryParameterException ex)
        {
            await ApiError.BadParameterAsync(context, ex.Parameter, ex.Message);
            return;
        }
        var result = await pipeline.Sinks.Queries.GetAggregatesAsync(operation, from, to, groupBy, quantiles, context.RequestAborted);
        await ApiJson.WriteAsync(context, writer => Write(writer, operation, from, to, groupBy, result));
    }

    private static void Write(Utf8JsonWriter writer, string operation, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string> groupBy, AggregateQueryResult result)
    {
        writer.WriteStartObject();
        writer.WriteString("operation"u8, operation);
        writer.WriteString("from"u8, from.ToUniversalTime());
        writer.WriteString("to"u8, to.ToUniversalTime());
        writer.WriteStartArray("groupBy"u8);
        foreach (var name in groupBy) writer.WriteStringValue(name);
        writer.WriteEndArray();
        writer.WriteStartArray("groups"u8);
        foreach (var group in result.Groups) WriteGroup(writer, group);
        writer.WriteEndArray();
        writer.WriteStartArray("skipped"u8);
        foreach (var corrupt in result.Corrupt)
        {
            writer.WriteStartObject();
            writer.WriteString("persistenceId"u8, corrupt.PersistenceId);
            writer.WriteString("key"u8, corrupt.Key.ToString());
            writer.WriteString("location"u8, corrupt.Location);
            writer.WriteString("reason"u8, corrupt.Reason);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        // Shards that could not answer for their unflushed part: their figures are the stored ones only.
        writer.WriteStartArray("storeOnlyShards"u8);
        foreach (var shard in result.StoreOnlyShards) writer.WriteStringValue(shard.ToString());
        writer.WriteEndArray();
        writer.WriteStartArray("warnings"u8);
        foreach (var warning in result.Warnings) writer.WriteStringValue(warning);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteGroup(Utf8JsonWriter writer, AggregateGroup group)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("dimensions"u8);
        foreach (var (name, value) in group.Dimensions) writer.WriteString(name, value);
        writer.WriteEndObject();
        writer.WriteNumber("count"u8, group.Entries);
        writer.WriteStartObject("closeReasons"u8);
        foreach (var (reason, count) in group.Reasons) writer.WriteNumber(JsonNamingPolicy.CamelCase.ConvertName(reason.ToString()), count);
        writer.WriteEndObject();
        if (group.RejectedValues > 0) writer.WriteNumber("rejectedValues"u8, group.RejectedValues);
        WriteMetrics(writer, "fields", group.Metrics, MetricKind.Field);
        WriteMetrics(writer, "counters", group.Metrics, MetricKind.Counter);
        WriteMetrics(writer, "distributions", group.Metrics, MetricKind.Distribution);
        writer.WriteEndObject();
    }

    private static void WriteMetrics(Utf8JsonWriter writer, string property, IReadOnlyList<MetricResult> metrics, MetricKind kind)
    {
        writer.WriteStartObject(property);
        foreach (var metric in metrics)
        {
            if (metric.Kind != kind) continue;
            writer.WriteStartObject(metric.Name);
            writer.WriteNumber("count"u8, metric.Count);
            Number(writer, "sum", metric.Sum);
            Number(writer, "min", metric.Min);
            Number(writer, "max", metric.Max);
            Number(writer, "mean", metric.Mean);
            writer.WriteStartObject("quantiles"u8);
            foreach (var quantile in metric.Quantiles) Number(writer, quantile.Quantile.ToString("R", CultureInfo.InvariantCulture), quantile.Value);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    /// <summary>JSON has no NaN or infinity: an undefined statistic (min of nothing) is null.</summary>
    private static void Number(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value)) writer.WriteNumber(name, value);
        else writer.WriteNull(name);
    }
}
