using Aggregator.Actors.Inspection;
using Aggregator.Actors.Inspection.Warnings;
using Aggregator.Host.Inspection.Prometheus;
using Microsoft.Extensions.Options;

namespace Aggregator.Host.Inspection;

/// <summary>What an operator or a scraper asks the node: <c>GET /metrics</c> (Prometheus text) and <c>GET /v1/cluster</c> (JSON).</summary>
public static class InspectionEndpoints
{
    public static IEndpointRouteBuilder MapInspectionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/metrics", (InspectionSource source, Aggregator.Host.Ingestion.IngestionStatistics ingestion) =>
            Results.Text(MetricsDocument.Render(source.CurrentWindow(), ingestion), ExpositionWriter.ContentType));

        endpoints.MapGet("/v1/cluster", async (int? top, InspectionSource source, InspectionSettings settings, IOptions<InspectionOptions> options, IServiceProvider services, CancellationToken cancellationToken) =>
        {
            var count = top ?? settings.DefaultTop;
            if (count < 1 || count > settings.MaxTop)
                return Results.Problem(
                    $"top must be between 1 and {settings.MaxTop} (was {count}).",
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Invalid query parameter 'top'");
            var (regions, unanswered) = await source.RegionsAsync();
            var view = ClusterInspection.Inspect(options.Value.ResolvedNodeName, source.CurrentWindow(), regions, settings, count);
            if (unanswered is not null)
                view = view with { Warnings = [.. view.Warnings, Unanswered(unanswered)] };
            // Cluster mode: every member, shard ownership and queue depths, from PostgreSQL and RabbitMQ.
            if (services.GetService<Aggregator.Host.Cluster.ClusterOverview>() is { } overview)
            {
                var (members, warnings) = await overview.BuildAsync(cancellationToken);
                view = view with { Cluster = members, Warnings = [.. view.Warnings, .. warnings] };
            }
            return Results.Json(view, InspectionJson.Options);
        });
        return endpoints;
    }

    private static InspectionWarning Unanswered(string region) => new(
        "region-unanswered",
        region,
        $"Shards of {region} did not report their entities within {InspectionSource.RegionStateTimeout.TotalSeconds:0} s.");
}
