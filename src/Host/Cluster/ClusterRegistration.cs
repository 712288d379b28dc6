using Aggregator.Host.Cluster.State;
using Aggregator.Host.Configuration;
using Aggregator.Host.Ingestion;
using Microsoft.Extensions.Options;

namespace Aggregator.Host.Cluster;

/// <summary>
/// Cluster mode's services, registered only when <c>Aggregator:Mode</c> is <c>cluster</c>: the shared state in
/// PostgreSQL, the shard queues (publisher for ingestion, exclusive consumers for the shards this pod owns), the shard
/// entries with their checkpoints, and the membership heartbeat. Single-node mode registers none of it.
/// </summary>
public static class ClusterRegistration
{
    public static bool IsClusterMode(IConfiguration configuration) =>
        string.Equals(configuration[$"{AggregatorOptions.SectionName}:Mode"], "cluster", StringComparison.Ordinal);

    public static IServiceCollection AddClusterMode(this IServiceCollection services, IConfiguration configuration)
    {
        if (!IsClusterMode(configuration)) return services;
        services.AddSingleton(provider =>
        {
            var options = Options(provider);
            return new ClusterStateStore(options.PostgresConnectionString!, options.PostgresSchema);
        });
        services.AddSingleton(provider => new ShardQueues(Options(provider).Cluster.QueuePrefix, Options(provider).Cluster.Shards));
        services.AddSingleton(provider =>
        {
            var options = Options(provider);
            var ordinal = options.Cluster.ResolveOrdinal(Environment.MachineName)!.Value;
            var node = options.Cluster.NodeName ?? (options.Cluster.Ordinal is null ? Environment.MachineName : $"{Environment.MachineName}#{ordinal}");
            return new ClusterMember(node, ordinal, options.Cluster.AdvertiseUrl ?? $"http://{Environment.MachineName}:8080",
                TimeSpan.FromSeconds(options.Cluster.HeartbeatIntervalSeconds));
        });
        services.AddSingleton<ShardEntries>();
        services.AddSingleton<IShardHolding>(provider => provider.GetRequiredService<ShardEntries>());
        services.AddSingleton(provider =>
        {
            var options = Options(provider);
            return new ShardOwnership(options.Cluster, provider.GetRequiredService<ClusterMember>().Ordinal,
                provider.GetRequiredService<ShardEntries>(), provider.GetRequiredService<ILoggerFactory>());
        });
        services.AddSingleton(provider => new ShardPublisher(provider.GetRequiredService<ShardQueues>(), new Uri(Options(provider).Cluster.RabbitMqUri!),
            TimeSpan.FromSeconds(10)));
        services.AddSingleton<IIngestTarget, ClusterIngestTarget>();
        services.AddSingleton<ClusterOverview>();
        services.AddSingleton<OwnerEntryLookup>();
        services.AddHostedService<ClusterStartup>();
        services.AddHostedService<MemberHeartbeats>();
        return services;
    }

    private static AggregatorOptions Options(IServiceProvider provider) => provider.GetRequiredService<IOptions<AggregatorOptions>>().Value;
}
