using Microsoft.AspNetCore.Http.HttpResults;

namespace Aggregator.Host.Health;

/// <summary>Liveness and readiness probes for Kubernetes and load balancers, kept apart from the metrics API.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Liveness: the process answers HTTP. Never depends on stores, so a slow database does not get the pod killed.
        endpoints.MapGet("/healthz", () => TypedResults.Ok(new StatusResponse("healthy")));
        // Readiness: the store is migrated, the sinks recovered and the entry region is up.
        endpoints.MapGet("/readyz", Results<Ok<StatusResponse>, JsonHttpResult<StatusResponse>> (Pipeline.EntryPipeline pipeline) =>
            pipeline.IsStarted
                ? TypedResults.Ok(new StatusResponse("ready"))
                : TypedResults.Json(new StatusResponse("starting"), statusCode: StatusCodes.Status503ServiceUnavailable));
        return endpoints;
    }
}
