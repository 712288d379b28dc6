using Aggregator.Host.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aggregator.Host.Tests.Settings;

/// <summary>Cluster settings: the ordinal from a StatefulSet host name, and a clear start-up error for each bad one.</summary>
public sealed class ClusterOptionsTests
{
    [Theory]
    [InlineData("aggregator-0", 0)]
    [InlineData("aggregator-12", 12)]
    [InlineData("my-release-aggregator-3", 3)]
    [InlineData("laptop", null)]
    public void The_ordinal_comes_from_the_host_name_unless_configured(string hostName, int? expected)
    {
        Assert.Equal(expected, new ClusterOptions().ResolveOrdinal(hostName));
        Assert.Equal(5, new ClusterOptions { Ordinal = 5 }.ResolveOrdinal(hostName));
    }

    [Theory]
    [InlineData("Aggregator:Store", "sqlite", "Aggregator:Store must be 'postgres' in cluster mode")]
    [InlineData("Aggregator:Cluster:RabbitMqUri", "", "Aggregator:Cluster:RabbitMqUri is required in cluster mode")]
    [InlineData("Aggregator:Cluster:RabbitMqUri", "http://rabbit", "Aggregator:Cluster:RabbitMqUri must be an amqp:// or amqps:// URI")]
    [InlineData("Aggregator:Cluster:Ordinal", "3", "Aggregator:Cluster:Ordinal 3 is outside 0..2")]
    [InlineData("Aggregator:Cluster:Nodes", "40", "Aggregator:Cluster:Nodes (40) must not exceed Aggregator:Cluster:Shards (32)")]
    [InlineData("Aggregator:Cluster:Prefetch", "0", "Aggregator:Cluster:Prefetch must be 1..65535")]
    [InlineData("Aggregator:Mode", "mesh", "Aggregator:Mode must be 'single' or 'cluster' (was 'mesh')")]
    public void A_bad_cluster_setting_stops_the_service_at_start_naming_the_key(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Aggregator:Mode"] = "cluster",
            ["Aggregator:Store"] = "postgres",
            ["Aggregator:PostgresConnectionString"] = "Host=127.0.0.1;Username=postgres",
            ["Aggregator:Cluster:RabbitMqUri"] = "amqp://guest:guest@127.0.0.1:5672/",
            ["Aggregator:Cluster:Nodes"] = "3",
            ["Aggregator:Cluster:Ordinal"] = "1",
            [key] = value,
        };

        var error = Assert.Throws<OptionsValidationException>(() =>
            TestAggregatorHost.Create(settings).App.Services.GetRequiredService<IOptions<AggregatorOptions>>().Value);

        Assert.Contains(expected, error.Message);
    }
}
