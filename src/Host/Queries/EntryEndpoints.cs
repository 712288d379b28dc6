using System.Text.Json;
using Aggregator.Actors.Entries;
using Aggregator.Actors.Persistence;
using Aggregator.Actors.Sinks;
using Aggregator.Contracts;
using Aggregator.Contracts.Json;
using Aggregator.Host.Api;
using Aggregator.Host.Pipeline;

namespace Aggregator.Host.Queries;

/// <summary>
/// GET /v1/entries/{id} and GET /v1/entries: a closed entry from the store (the same JSON the JSON Lines output
/// writes), an open entry from its actor (<c>"state":"open"</c> with what it waits for), or a page of an operation's
/// closed entries over a time range.
/// </summary>
public static class EntryEndpoints
{
    public static IEndpointRouteBuilder MapEntryEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/entries/{id}", GetEntryAsync).RequiresStartedPipeline();
        endpoints.MapGet("/v1/entries", GetEntriesAsync).RequiresStartedPipeline();
        return endpoints;
    }

    private static async Task GetEntryAsync(HttpContext context, string id, EntryPipeline pipeline)
    {
        // Ids may contain '/', which a client sends as %2F and routing leaves encoded.
        id = id.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        var queries = pipeline.Sinks.Queries;
        ClosedEntry? stored;
        try
        {
            stored = await queries.GetEntryAsync(id, context.RequestAborted);
        }
        catch (InvalidDataException ex)
        {
            // The row exists but cannot be read: say where, rather than pretend the entry is unknown.
            await ApiError.WriteAsync(context, StatusCodes.Status500InternalServerError, $"entry \"{id}\" is stored but unreadable: {ex.Message}");
            return;
        }
        if (stored is not null)
        {
            await WriteClosedAsync(context, stored);
            return;
        }
        var state = await pipeline.Entries.FindAsync(id);
        if (state is not null)
        {
            await WriteOpenAsync(context, state);
            return;
        }
        // Cluster mode: open on the pod that holds its shard (unless this is already that pod's answer to another pod).
        if (context.Request.Query["local"] != "true" && context.RequestServices.GetService<Cluster.OwnerEntryLookup>() is { } owners
            && await owners.AskHolderAsync(id, context.RequestAborted) is { } remote)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(remote, context.RequestAborted);
            return;
        }
        // Closed between the two looks: it is in the store now, or on its way there.
        if (await queries.GetEntryAsync(id, context.RequestAborted) is { } justStored)
        {
            await WriteClosedAsync(context, justStored);
            return;
        }
        await ApiError.WriteAsync(context, StatusCodes.Status404NotFound, $"no entry \"{id}\": it is not open and not stored (a just-closed entry is stored within the sinks' batch interval)");
    }

    private static async Task GetEntriesAsync(HttpContext context, EntryPipeline pipeline, TimeProvider clock)
    {
        EntryQuery query;
        try
        {
            var parameters = new QueryParameters(context.Request.Query);
            var operation = parameters.Required("operation");
            var (from, to) = parameters.Range(clock.GetUtcNow());
            query = new EntryQuery(operation, from, to, parameters.Int("limit", 100, 1, 1000), parameters.Optional("cursor"));
        }
        catch (QueryParameterException ex)
        {
            await ApiError.BadParameterAsync(context, ex.Parameter, ex.Message);
            return;
        }
        SinkEntryPage page;
        try
        {
            page = await pipeline.Sinks.Queries.GetEntriesAsync(query, context.RequestAborted);
        }
        catch (ArgumentException ex) when (ex.ParamName is "query" or "After" or "after" or "cursor")
        {
            await ApiError.BadParameterAsync(context, "cursor", $"\"cursor\" is not a cursor this API returned: {ex.Message}");
            return;
        }
        await ApiJson.WriteAsync(context, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("entries"u8);
            foreach (var entry in page.Entries) writer.WriteRawValue(ContractsJson.Serialize(entry), skipInputValidation: true);
            writer.WriteEndArray();
            if (page.Next is { } next) writer.WriteString("cursor"u8, next);
            else writer.WriteNull("cursor"u8);
            // Rows the store could not read: left out of the page, named so an operator can find them.
            writer.WriteStartArray("skipped"u8);
            foreach (var skipped in page.Skipped)
            {
                writer.WriteStartObject();
                writer.WriteString("location"u8, skipped.Location);
                writer.WriteString("from"u8, skipped.From.ToUniversalTime());
                writer.WriteString("to"u8, skipped.To.ToUniversalTime());
                writer.WriteString("reason"u8, skipped.Reason);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static Task WriteClosedAsync(HttpContext context, ClosedEntry entry) =>
        ApiJson.WriteAsync(context, writer => writer.WriteRawValue(ContractsJson.Serialize(entry), skipInputValidation: true));

    private static Task WriteOpenAsync(HttpContext context, EntryState state) =>
        ApiJson.WriteAsync(context, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("entry"u8, state.EntryId);
            writer.WriteString("operation"u8, state.Operation);
            writer.WriteString("state"u8, "open"u8);
            writer.WriteString("openedAt"u8, state.OpenedAt.ToUniversalTime());
            writer.WriteBoolean("ownerReleased"u8, state.OwnerReleased);
            writer.WriteBoolean("forceReleased"u8, state.ForceReleased);
            writer.WriteBoolean("deadlinePassed"u8, state.DeadlinePassed);
            WriteStrings(writer, "pending", state.Pending);
            WriteStrings(writer, "failedSlots", state.FailedSlots);
            writer.WriteStartObject("counters"u8);
            foreach (var (name, value) in state.Counters) writer.WriteNumber(name, value);
            writer.WriteEndObject();
            writer.WriteEndObject();
        });

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values) writer.WriteStringValue(value);
        writer.WriteEndArray();
    }
}
