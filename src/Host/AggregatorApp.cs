using Aggregator.Host.Actors;
using Aggregator.Host.Cluster;
using Aggregator.Host.Configuration;
using Aggregator.Host.Health;
using Aggregator.Host.Ingestion;
using Aggregator.Host.Inspection;
using Aggregator.Host.Lifecycle;
using Aggregator.Host.Logging;
using Aggregator.Host.Pipeline;
using Aggregator.Host.Queries;
using Aggregator.Host.Storage;

namespace Aggregator.Host;

/// <summary>Composes the service in one place so Program.cs and the tests build exactly the same app.</summary>
public static class AggregatorApp
{
    /// <summary>Where the service listens when no <c>urls</c>, <c>http_ports</c> or <c>https_ports</c> is configured.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>
    /// Creates the web application. <paramref name="configure"/> runs first, before the service's own
    /// setup, so configuration a caller adds (tests: <c>UseTestServer</c>, a temp data directory) is what
    /// the rest of the setup sees.
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        UseDefaultUrlUnlessConfigured(builder);
        builder.AddSerilogLogging();
        builder.Services.AddAggregatorOptions(builder.Configuration);
        builder.Services.AddDataDirectory();
        builder.Services.AddGracefulShutdown();
        builder.Services.AddActorSystem();
        builder.Services.AddEntryPipeline();
        builder.Services.AddClusterMode(builder.Configuration);
        builder.Services.AddIngestion();
        builder.Services.AddHealth();
        builder.Services.AddInspection(builder.Configuration);

        var app = builder.Build();
        app.UseRequestLogging();
        app.MapHealthEndpoints();
        app.MapIngestionEndpoints();
        app.MapEntryEndpoints();
        app.MapAggregateEndpoints();
        app.MapInspectionEndpoints();
        app.LogLifecycle();
        return app;
    }

    private static void UseDefaultUrlUnlessConfigured(WebApplicationBuilder builder)
    {
        string?[] configured =
        [
            builder.Configuration[WebHostDefaults.ServerUrlsKey],
            builder.Configuration[WebHostDefaults.HttpPortsKey],
            builder.Configuration[WebHostDefaults.HttpsPortsKey],
        ];
        if (configured.All(string.IsNullOrWhiteSpace))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
    }
}
