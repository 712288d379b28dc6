namespace Aggregator.Host.Tests.Api;

/// <summary>A started service on real Kestrel with a client for its API, disposed together.</summary>
internal sealed class ApiHost : IAsyncDisposable
{
    private ApiHost(TestAggregatorHost host)
    {
        Host = host;
        Api = new ApiClient(host.CreateClient());
    }

    public TestAggregatorHost Host { get; }
    public ApiClient Api { get; }

    public static async Task<ApiHost> StartAsync(IDictionary<string, string?>? settings = null) =>
        new(await TestAggregatorHost.StartAsync(settings, kestrel: true));

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Host.DisposeAsync();
    }
}
