using Aggregator.Host.Configuration;
using Microsoft.Extensions.Options;

namespace Aggregator.Host.Lifecycle;

/// <summary>Gives a stopping service a bounded, configured time to drain, and makes start and stop visible in the log.</summary>
public static class GracefulShutdown
{
    public static IServiceCollection AddGracefulShutdown(this IServiceCollection services)
    {
        services.AddOptions<HostOptions>()
            .Configure<IOptions<AggregatorOptions>>((host, aggregator) =>
                host.ShutdownTimeout = TimeSpan.FromSeconds(aggregator.Value.ShutdownTimeoutSeconds));
        services.AddHostedService<SecondSignal>();
        return services;
    }

    public static WebApplication LogLifecycle(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GracefulShutdown).FullName!);
        var timeout = app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout;
        var lifetime = app.Lifetime;
        lifetime.ApplicationStarted.Register(() =>
            logger.LogInformation("Aggregator started ({Environment})", app.Environment.EnvironmentName));
        lifetime.ApplicationStopping.Register(() =>
            logger.LogInformation("Aggregator stopping, draining for up to {ShutdownTimeoutSeconds} s", timeout.TotalSeconds));
        lifetime.ApplicationStopped.Register(() => logger.LogInformation("Aggregator stopped"));
        return app;
    }
}
