using System.Net;
using Aggregator.Host;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;

namespace Aggregator.Host.Tests;

public sealed class ListenAddressTests
{
    [Fact]
    public async Task Without_configured_urls_the_service_listens_on_loopback_5080()
    {
        var root = TestAggregatorHost.NewTempRoot();
        await using var app = AggregatorApp.Build([], builder =>
        {
            builder.WebHost.UseTestServer();
            // Hide ASPNETCORE_URLS / ASPNETCORE_HTTP_PORTS the machine running the tests may set.
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [WebHostDefaults.ServerUrlsKey] = null,
                [WebHostDefaults.HttpPortsKey] = null,
                [WebHostDefaults.HttpsPortsKey] = null,
                ["Aggregator:DataDirectory"] = Path.Combine(root, "data"),
            });
        });

        Assert.Equal("http://127.0.0.1:5080", app.Configuration[WebHostDefaults.ServerUrlsKey]);
    }

    [Fact]
    public async Task Urls_argument_overrides_the_default_and_kestrel_serves_healthz()
    {
        var root = TestAggregatorHost.NewTempRoot();
        try
        {
            await using var app = AggregatorApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Aggregator:DataDirectory"] = Path.Combine(root, "data"),
                    ["Serilog:MinimumLevel:Default"] = "Warning",
                }));
            await app.StartAsync(TestContext.Timeout);

            var address = Assert.Single(app.Urls);
            Assert.StartsWith("http://127.0.0.1:", address);
            Assert.NotEqual("http://127.0.0.1:0", address);
            using var client = new HttpClient { BaseAddress = new Uri(address) };
            using var response = await client.GetAsync("/healthz", TestContext.Timeout);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            await app.StopAsync(TestContext.Timeout);
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
