using System.Runtime.InteropServices;

namespace Aggregator.Host.Lifecycle;

/// <summary>
/// The first SIGTERM or Ctrl-C starts the graceful shutdown (the host's console lifetime handles it); a second one
/// while that is running exits at once, for the operator who does not want to wait out the grace period.
/// </summary>
internal sealed class SecondSignal(ILogger<SecondSignal> logger) : IHostedService, IDisposable
{
    private readonly List<PosixSignalRegistration> registrations = [];
    private int signals;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT })
        {
            registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref signals) < 2) return; // the first one: graceful, handled by the host
        logger.LogWarning("Second {Signal} during shutdown: exiting now without waiting for the drain", context.Signal);
        Serilog.Log.CloseAndFlush();
        Environment.Exit(130);
    }

    public void Dispose()
    {
        foreach (var registration in registrations) registration.Dispose();
    }
}
