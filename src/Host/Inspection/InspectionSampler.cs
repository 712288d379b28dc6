using Aggregator.Actors.Inspection;

namespace Aggregator.Host.Inspection;

/// <summary>
/// Takes a sample every <see cref="InspectionSettings.SampleInterval"/> into the <see cref="SampleHistory"/>, so rates,
/// utilization and trends cover a recent window however rarely (or often) someone asks.
/// </summary>
internal sealed class InspectionSampler(InspectionSource source, SampleHistory history, InspectionSettings settings, ILogger<InspectionSampler> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.SampleInterval);
        try
        {
            do
            {
                try
                {
                    history.Add(source.Sample());
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // A failed sample leaves a gap in the history; inspection must never take the service down.
                    logger.LogWarning(exception, "Inspection sample failed");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
