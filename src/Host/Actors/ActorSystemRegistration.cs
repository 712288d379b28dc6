using Aggregator.Actors.Kernel;

namespace Aggregator.Host.Actors;

/// <summary>One actor system per process, logging through the host's Serilog logger and stopped with the host.</summary>
public static class ActorSystemRegistration
{
    public const string SystemName = "aggregator";

    public static IServiceCollection AddActorSystem(this IServiceCollection services)
    {
        services.AddSingleton(provider => ActorSystem.Create(SystemName, new ActorSystemSettings
        {
            Logger = provider.GetRequiredService<Serilog.ILogger>(),
            // The host owns SIGTERM/SIGINT; it runs coordinated shutdown through ActorSystemLifetime.
            RunCoordinatedShutdownOnExitSignals = false,
        }));
        services.AddHostedService<ActorSystemLifetime>();
        return services;
    }
}
