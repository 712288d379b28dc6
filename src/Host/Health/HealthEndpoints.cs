using Aggregator.Host.Pipeline;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aggregator.Host.Health;

/// <summary>Liveness and readiness probes for Kubernetes and load balancers, kept apart from the metrics API.</summary>
public static class HealthEndpoints
{
    public static IServiceCollection AddHealth(this IServiceCollection services) => services.AddSingleton<StoreProbe>();

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Liveness: the process answers HTTP. Never depends on stores, so a slow database does not get the pod killed.
        endpoints.MapGet("/healthz", () => TypedResults.Ok(new StatusResponse("healthy")));
        // Readiness: the store is migrated, the sinks recovered, the entry region is up, the store answers now, in
        // cluster mode every owned shard is held, and the service is not stopping (a stopping pod leaves the load balancer before it refuses requests).
        endpoints.MapGet("/readyz", async Task<Results<Ok<StatusResponse>, JsonHttpResult<StatusResponse>>> (
            EntryPipeline pipeline, StoreProbe probe, IHostApplicationLifetime lifetime, IServiceProvider services, CancellationToken cancellationToken) =>
        {
            if (lifetime.ApplicationStopping.IsCancellationRequested) return NotReady("stopping");
            if (!pipeline.IsStarted) return NotReady("starting");
            // Cluster mode: ready only once this pod holds every shard it owns (a predecessor may still hold some).
            if (services.GetService<Cluster.ShardOwnership>() is { HoldsAllShards: false } ownership)
            {
                return NotReady("acquiring shards", $"holding {ownership.Consumers.Count(c => c.State == Cluster.ShardConsumerState.Holding)} of {ownership.Shards.Count} shards");
            }
            if (await probe.CheckAsync(cancellationToken) is { } failure) return NotReady("store unreachable", failure);
            return TypedResults.Ok(new StatusResponse("ready"));
        });
        return endpoints;
    }

    private static JsonHttpResult<StatusResponse> NotReady(string status, string? reason = null) =>
        TypedResults.Json(new StatusResponse(status, reason), statusCode: StatusCodes.Status503ServiceUnavailable);
}
