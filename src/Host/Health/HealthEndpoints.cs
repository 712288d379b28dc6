namespace Aggregator.Host.Health;

/// <summary>Liveness and readiness probes for Kubernetes and load balancers, kept apart from the metrics API.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Liveness: the process answers HTTP. Never depends on stores, so a slow database does not get the pod killed.
        endpoints.MapGet("/healthz", () => TypedResults.Ok(new StatusResponse("healthy")));
        // Readiness: nothing to wait for yet; becomes false while actors and stores are starting or draining.
        endpoints.MapGet("/readyz", () => TypedResults.Ok(new StatusResponse("ready")));
        return endpoints;
    }
}
