using Aggregator.Host.Pipeline;

namespace Aggregator.Host.Api;

/// <summary>
/// Query endpoints need the sinks and the store: until the pipeline has started (recovery finished) they answer
/// 503 + Retry-After instead of failing on a half-built service.
/// </summary>
internal static class RequireStartedPipeline
{
    public static TBuilder RequiresStartedPipeline<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (invocation, next) =>
        {
            var pipeline = invocation.HttpContext.RequestServices.GetRequiredService<EntryPipeline>();
            if (pipeline.IsStarted) return await next(invocation);
            await ApiError.WriteAsync(invocation.HttpContext, StatusCodes.Status503ServiceUnavailable, "the service is starting; retry shortly", retryAfterSeconds: 1);
            return Results.Empty;
        });
}
