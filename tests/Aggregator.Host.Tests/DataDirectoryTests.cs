using Aggregator.Host.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aggregator.Host.Tests;

public sealed class DataDirectoryTests
{
    [Fact]
    public async Task Data_directory_is_created_when_the_host_starts()
    {
        await using var host = TestAggregatorHost.Create();
        Assert.False(Directory.Exists(host.DataDirectory));

        await host.App.StartAsync(TestContext.Timeout);

        Assert.True(Directory.Exists(host.DataDirectory));
        Assert.Equal(host.DataDirectory, host.App.Services.GetRequiredService<DataDirectory>().FullPath);
    }

    [Fact]
    public async Task Relative_data_directory_resolves_against_the_content_root()
    {
        var contentRoot = TestAggregatorHost.NewTempRoot();
        Directory.CreateDirectory(contentRoot);
        try
        {
            await using var host = TestAggregatorHost.Create(
                new Dictionary<string, string?> { ["Aggregator:DataDirectory"] = "./state" },
                ["--contentRoot", contentRoot]);

            await host.App.StartAsync(TestContext.Timeout);

            var expected = Path.Combine(contentRoot, "state");
            Assert.Equal(expected, host.App.Services.GetRequiredService<DataDirectory>().FullPath);
            Assert.True(Directory.Exists(expected));
        }
        finally
        {
            Directory.Delete(contentRoot, recursive: true);
        }
    }

    [Fact]
    public void Empty_data_directory_setting_stops_the_service_from_being_built()
    {
        var error = Assert.Throws<OptionsValidationException>(
            () => TestAggregatorHost.Create(new Dictionary<string, string?> { ["Aggregator:DataDirectory"] = "" }));

        Assert.Contains("Aggregator:DataDirectory", error.Message);
    }
}
