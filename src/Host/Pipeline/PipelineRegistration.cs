using Aggregator.Actors.Persistence;
using Aggregator.Actors.Persistence.Postgres;
using Aggregator.Actors.Persistence.Sqlite;
using Aggregator.Host.Configuration;
using Aggregator.Host.Storage;
using Microsoft.Extensions.Options;

namespace Aggregator.Host.Pipeline;

/// <summary>Registers the store the configuration names (SQLite in the data directory by default) and the pipeline over it.</summary>
public static class PipelineRegistration
{
    public const string SqliteFileName = "aggregator.db";

    public static IServiceCollection AddEntryPipeline(this IServiceCollection services)
    {
        services.AddSingleton<ISinkStore>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<AggregatorOptions>>().Value;
            return options.Store == "postgres"
                ? new PostgresSinkStore(options.PostgresConnectionString!, options.PostgresSchema)
                : new SqliteSinkStore(Path.Combine(provider.GetRequiredService<DataDirectory>().FullPath, SqliteFileName), synchronous: options.SqliteSynchronous);
        });
        services.AddSingleton<EntryPipeline>();
        services.AddHostedService<PipelineStartup>();
        return services;
    }
}
