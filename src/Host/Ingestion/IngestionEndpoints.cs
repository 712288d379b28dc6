using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Aggregator.Host.Ingestion;

/// <summary>Registers and maps the ingestion API (POST /v1/messages).</summary>
public static class IngestionEndpoints
{
    public static IServiceCollection AddIngestion(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IngestionStatistics>();
        services.AddSingleton<Admission>();
        services.AddSingleton<MessageIngestion>();
        services.TryAddSingleton<IIngestTarget, LocalIngestTarget>();
        return services;
    }

    public static IEndpointRouteBuilder MapIngestionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/v1/messages", (HttpContext context, MessageIngestion ingestion) => ingestion.HandleAsync(context));
        return endpoints;
    }
}
