using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Aggregator.Host.Tests.Api;

namespace Aggregator.Host.Tests.ClusterMode;

/// <summary>
/// A producer that keeps sending small entries (open, add i, close) to the nodes in turn until stopped, remembering
/// which requests were accepted (202) and when; refused ones (503 while a service is down) are counted, not retried,
/// so what was accepted is exactly what must be persisted.
/// </summary>
internal sealed class SteadyLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task running;

    public SteadyLoad(IReadOnlyList<Uri> nodes, string prefix)
        : this(() => nodes, prefix)
    {
    }

    /// <param name="nodes">Asked before every request: the addresses change when pods restart.</param>
    /// <param name="prefix">Entry ids are <c>&lt;prefix&gt;-&lt;n&gt;</c>.</param>
    public SteadyLoad(Func<IReadOnlyList<Uri>> nodes, string prefix)
    {
        running = Task.Run(() => RunAsync(nodes, prefix));
    }

    /// <summary>Accepted entry id → (its counter value, when it was accepted).</summary>
    public ConcurrentDictionary<string, (int Value, long At)> Accepted { get; } = new();

    public int Refused;

    public async Task StopAsync()
    {
        stop.Cancel();
        await running;
    }

    private async Task RunAsync(Func<IReadOnlyList<Uri>> nodes, string prefix)
    {
        var clients = new Dictionary<Uri, ApiClient>();
        try
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var id = $"{prefix}-{i}";
                try
                {
                    var current = nodes();
                    var uri = current[i % current.Count];
                    if (!clients.TryGetValue(uri, out var client)) clients[uri] = client = new ApiClient(new HttpClient { BaseAddress = uri, Timeout = TimeSpan.FromSeconds(15) });
                    var (status, _, _) = await client.PostNdjsonAsync(
                        $$"""{"op":"open","entry":"{{id}}","operation":"Steady"}""",
                        $$"""{"op":"add","entry":"{{id}}","counter":"N","delta":{{i}}}""",
                        $$"""{"op":"close","entry":"{{id}}"}""");
                    if (status == HttpStatusCode.Accepted) Accepted[id] = (i, Stopwatch.GetTimestamp());
                    else Interlocked.Increment(ref Refused);
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref Refused);
                }
                await Task.Delay(10);
            }
        }
        finally
        {
            foreach (var client in clients.Values) client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!stop.IsCancellationRequested) await StopAsync();
        stop.Dispose();
    }
}
