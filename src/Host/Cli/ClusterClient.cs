using System.Net.Http.Json;
using System.Text.Json;
using Aggregator.Actors.Inspection;
using Aggregator.Host.Inspection;

namespace Aggregator.Host.Cli;

/// <summary>Fetches <c>/v1/cluster</c> from a running service and turns every way that can fail into an <see cref="InspectFailure"/>.</summary>
public sealed class ClusterClient(Uri serviceUrl, TimeSpan timeout)
{
    /// <summary>The cluster view with the JSON it was read from (printed as is by <c>--json</c>).</summary>
    public async Task<(ClusterView View, string Json)> FetchAsync(int top, CancellationToken cancellationToken)
    {
        var uri = new Uri(serviceUrl, $"v1/cluster?top={top}");
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await http.GetAsync(uri, deadline.Token);
            if (!response.IsSuccessStatusCode)
                throw new InspectFailure($"{uri} answered {(int)response.StatusCode} {response.ReasonPhrase}{await DetailAsync(response, deadline.Token)}");
            var json = await response.Content.ReadAsStringAsync(deadline.Token);
            var view = JsonSerializer.Deserialize<ClusterView>(json, InspectionJson.Options)
                ?? throw new InspectFailure($"{uri} answered with an empty body instead of a cluster view");
            return (view, json);
        }
        catch (HttpRequestException exception)
        {
            throw new InspectFailure($"cannot reach the Aggregator at {serviceUrl}: {OneLine(exception.Message)}", exception);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InspectFailure($"the Aggregator at {serviceUrl} did not answer within {timeout.TotalSeconds:0.#} s", exception);
        }
        catch (JsonException exception)
        {
            throw new InspectFailure($"{uri} did not answer with a cluster view: {OneLine(exception.Message)}", exception);
        }
    }

    /// <summary>A problem+json answer says what was wrong; anything else is left out.</summary>
    private static async Task<string> DetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") return "";
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            return problem.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String ? ": " + OneLine(detail.GetString()!) : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
