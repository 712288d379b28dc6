using Aggregator.Contracts.Client;
using Aggregator.Host.Pipeline;
using Aggregator.Host.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Host.Tests.Client;

/// <summary>A started service on real Kestrel, an <see cref="ApiClient"/> to look at it and an <see cref="AggregatorClient"/> to write to it.</summary>
internal sealed class ClientHost : IAsyncDisposable
{
    private ClientHost(TestAggregatorHost host, AggregatorClient client)
    {
        Host = host;
        Client = client;
        Api = new ApiClient(host.CreateClient());
    }

    public TestAggregatorHost Host { get; }
    public ApiClient Api { get; }
    public AggregatorClient Client { get; }

    public EntryPipeline Pipeline => Host.App.Services.GetRequiredService<EntryPipeline>();

    /// <summary>Entries the sinks journaled so far, and how many they refused as duplicates.</summary>
    public (long Journaled, long Duplicates) Stored()
    {
        var shards = Pipeline.Sinks.Snapshot();
        return (shards.Sum(s => s.Journaled), shards.Sum(s => s.Duplicates));
    }

    public static async Task<ClientHost> StartAsync(Func<AggregatorClientOptions, AggregatorClientOptions>? configure = null, IDictionary<string, string?>? settings = null)
    {
        var host = await TestAggregatorHost.StartAsync(settings, kestrel: true);
        var options = new AggregatorClientOptions { BaseAddress = host.Address, FlushTimeout = TimeSpan.FromSeconds(20) };
        return new ClientHost(host, new AggregatorClient(configure?.Invoke(options) ?? options));
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        Api.Dispose();
        await Host.DisposeAsync();
    }
}
