using Aggregator.Host;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;

namespace Aggregator.Host.Tests;

/// <summary>Runs the real service composition on an in-memory TestServer with its own throw-away data directory.</summary>
internal sealed class TestAggregatorHost : IAsyncDisposable
{
    private readonly string root;

    private TestAggregatorHost(string root, WebApplication app)
    {
        this.root = root;
        App = app;
    }

    public WebApplication App { get; }

    /// <summary>Absolute path configured as <c>Aggregator:DataDirectory</c>; it does not exist before start.</summary>
    public string DataDirectory => Path.Combine(root, "data");

    public static string NewTempRoot() => Path.Combine(Path.GetTempPath(), "aggregator-host-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>Builds the app without starting it, so tests can look at it before start or expect start to fail.</summary>
    public static TestAggregatorHost Create(IDictionary<string, string?>? settings = null, string[]? args = null)
    {
        var root = NewTempRoot();
        var app = AggregatorApp.Build(args ?? [], builder =>
        {
            builder.WebHost.UseTestServer();
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
        return new TestAggregatorHost(root, app);
    }

    public static async Task<TestAggregatorHost> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var host = Create(settings);
        await host.App.StartAsync(TestContext.Timeout);
        return host;
    }

    public HttpClient CreateClient() => App.GetTestClient();

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
