using System.Diagnostics;

namespace Aggregator.Host.Logging;

/// <summary>
/// One log event per HTTP request (method, path, status, elapsed), under the category <c>Aggregator.Host.Requests</c>
/// so its level is set per namespace like any other. Failures are Warning (5xx) or Information (4xx); successful
/// ingestion, probes and scrapes are Debug, since at full rate they would drown everything else.
/// </summary>
public static class RequestLogging
{
    public const string Category = "Aggregator.Host.Requests";

    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        return app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                var status = context.Response.StatusCode;
                var level = status >= 500 ? LogLevel.Warning
                    : status >= 400 ? LogLevel.Information
                    : IsRoutine(context.Request.Path) ? LogLevel.Debug
                    : LogLevel.Information;
                if (logger.IsEnabled(level))
                {
                    logger.Log(level, "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms",
                        context.Request.Method, context.Request.Path.Value, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        });
    }

    private static bool IsRoutine(PathString path) =>
        path.StartsWithSegments("/v1/messages") || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments("/metrics");
}
