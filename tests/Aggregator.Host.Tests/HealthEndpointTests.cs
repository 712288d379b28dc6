using System.Net;

namespace Aggregator.Host.Tests;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Healthz_answers_200_with_status_healthy()
    {
        await using var host = await TestAggregatorHost.StartAsync();
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"status":"healthy"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_answers_200_with_status_ready()
    {
        await using var host = await TestAggregatorHost.StartAsync();
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"ready"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_path_answers_404()
    {
        await using var host = await TestAggregatorHost.StartAsync();
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/no-such-endpoint");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Healthz_rejects_post()
    {
        await using var host = await TestAggregatorHost.StartAsync();
        using var client = host.CreateClient();

        using var response = await client.PostAsync("/healthz", content: null);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
