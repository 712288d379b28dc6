using Aggregator.Actors.Kernel;

namespace Aggregator.Host.Actors;

/// <summary>Starts the actor system with the host and runs its coordinated shutdown when the host stops.</summary>
internal sealed class ActorSystemLifetime(ActorSystem system, ILogger<ActorSystemLifetime> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Actor system {Name} started", system.Name);
        return Task.CompletedTask;
    }

    /// <summary>Bounded by the host's shutdown timeout (the token); phases that overrun are logged by the shutdown itself.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await system.Terminate().WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Actor system {Name} did not terminate within the shutdown timeout", system.Name);
        }
    }
}
