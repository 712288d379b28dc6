using System.Net;

namespace Aggregator.Host.Tests;

public sealed class KestrelHostTests
{
    [Fact]
    public async Task The_test_host_can_run_on_real_kestrel_at_a_random_loopback_port()
    {
        await using var host = await TestAggregatorHost.StartAsync(kestrel: true);
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/healthz", TestContext.Timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("127.0.0.1", host.Address.Host);
        Assert.NotEqual(0, host.Address.Port);
    }
}
