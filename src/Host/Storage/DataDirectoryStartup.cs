namespace Aggregator.Host.Storage;

/// <summary>Creates the data directory when the host starts, before any store needs it, and says where it is.</summary>
public sealed class DataDirectoryStartup(DataDirectory directory, ILogger<DataDirectoryStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory.FullPath);
        logger.LogInformation("Data directory {DataDirectory}", directory.FullPath);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
