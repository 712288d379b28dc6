namespace Aggregator.Host.Storage;

/// <summary>Registers the data directory first among hosted services so it exists before any store starts.</summary>
public static class DataDirectoryRegistration
{
    public static IServiceCollection AddDataDirectory(this IServiceCollection services)
    {
        services.AddSingleton<DataDirectory>();
        services.AddHostedService<DataDirectoryStartup>();
        return services;
    }
}
