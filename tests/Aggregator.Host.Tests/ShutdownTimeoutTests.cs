using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Aggregator.Host.Tests;

public sealed class ShutdownTimeoutTests
{
    [Fact]
    public async Task Shutdown_timeout_defaults_to_30_seconds()
    {
        await using var host = TestAggregatorHost.Create();

        var options = host.App.Services.GetRequiredService<IOptions<HostOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(30), options.ShutdownTimeout);
    }

    [Fact]
    public async Task Shutdown_timeout_comes_from_configuration()
    {
        await using var host = TestAggregatorHost.Create(
            new Dictionary<string, string?> { ["Aggregator:ShutdownTimeoutSeconds"] = "7" });

        var options = host.App.Services.GetRequiredService<IOptions<HostOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(7), options.ShutdownTimeout);
    }

    [Fact]
    public void Non_positive_shutdown_timeout_stops_the_service_from_being_built()
    {
        var error = Assert.Throws<OptionsValidationException>(() => TestAggregatorHost.Create(
            new Dictionary<string, string?> { ["Aggregator:ShutdownTimeoutSeconds"] = "0" }));

        Assert.Contains("Aggregator:ShutdownTimeoutSeconds", error.Message);
    }
}
