using Aggregator.Host;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;

namespace Aggregator.Host.Tests;

/// <summary>
/// Runs the real service composition with its own throw-away data directory: on an in-memory TestServer, or
/// (<c>kestrel: true</c>) on real Kestrel at 127.0.0.1 on a random port, for end-to-end tests over real HTTP.
/// </summary>
internal sealed class TestAggregatorHost : IAsyncDisposable
{
    private readonly string root;
    private readonly bool kestrel;

    private TestAggregatorHost(string root, WebApplication app, bool kestrel)
    {
        this.root = root;
        this.kestrel = kestrel;
        App = app;
    }

    public WebApplication App { get; }

    /// <summary>Absolute path configured as <c>Aggregator:DataDirectory</c>; it does not exist before start.</summary>
    public string DataDirectory => Path.Combine(root, "data");

    public static string NewTempRoot() => Path.Combine(Path.GetTempPath(), "aggregator-host-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>Builds the app without starting it, so tests can look at it before start or expect start to fail.</summary>
    public static TestAggregatorHost Create(IDictionary<string, string?>? settings = null, string[]? args = null, bool kestrel = false)
    {
        var root = NewTempRoot();
        var app = AggregatorApp.Build(args ?? [], builder =>
        {
            if (kestrel)
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:0" });
            }
            else
            {
                builder.WebHost.UseTestServer();
            }
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Aggregator:DataDirectory"] = Path.Combine(root, "data"),
                ["Serilog:MinimumLevel:Default"] = "Warning",
            });
            if (settings is not null)
            {
                builder.Configuration.AddInMemoryCollection(settings);
            }
        });
        return new TestAggregatorHost(root, app, kestrel);
    }

    public static async Task<TestAggregatorHost> StartAsync(IDictionary<string, string?>? settings = null, bool kestrel = false)
    {
        var host = Create(settings, kestrel: kestrel);
        await host.App.StartAsync(TestContext.Timeout);
        return host;
    }

    /// <summary>The bound address once started on Kestrel, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address => kestrel
        ? new Uri(Assert.Single(App.Urls))
        : throw new InvalidOperationException("An in-memory TestServer has no network address; create the host with kestrel: true.");

    /// <summary>A client for the host: over a real socket on Kestrel, in memory otherwise.</summary>
    public HttpClient CreateClient() => kestrel
        ? new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) }
        : App.GetTestClient();

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(TestContext.Timeout);
        await App.DisposeAsync();
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
