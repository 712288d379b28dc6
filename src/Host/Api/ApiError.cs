using System.Text.Json;

namespace Aggregator.Host.Api;

/// <summary>
/// The one error body of the API, <c>{"error":"…"}</c> plus what locates the fault (a query parameter, a body
/// position), so every client handles failures one way.
/// </summary>
internal static class ApiError
{
    public static Task WriteAsync(HttpContext context, int status, string error, Action<Utf8JsonWriter>? details = null, int? retryAfterSeconds = null)
    {
        context.Response.StatusCode = status;
        if (retryAfterSeconds is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ApiJson.WriteAsync(context, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("error"u8, error);
            details?.Invoke(writer);
            writer.WriteEndObject();
        });
    }

    /// <summary>400 naming the bad query parameter.</summary>
    public static Task BadParameterAsync(HttpContext context, string parameter, string error) =>
        WriteAsync(context, StatusCodes.Status400BadRequest, error, w => w.WriteString("parameter"u8, parameter));
}
