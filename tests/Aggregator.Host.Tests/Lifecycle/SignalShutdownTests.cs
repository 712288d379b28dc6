using System.Net;
using Aggregator.Actors.Persistence.Sqlite;
using Aggregator.Contracts;
using Aggregator.Host.Tests.Api;
using Microsoft.Data.Sqlite;

namespace Aggregator.Host.Tests.Lifecycle;

/// <summary>The service process under real signals: SIGTERM drains open entries into the store; a second one exits at once.</summary>
public sealed class SignalShutdownTests : IDisposable
{
    private readonly string root = TestAggregatorHost.NewTempRoot();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task Sigterm_with_open_entries_persists_every_one_with_reason_shutdown_and_exits_0()
    {
        var data = Path.Combine(root, "data");
        await using var service = await ServiceProcess.StartAsync(data, "--Serilog:MinimumLevel:Default=Warning");
        using (var api = new ApiClient(new HttpClient { BaseAddress = service.Address }))
        {
            var lines = Enumerable.Range(0, 50).SelectMany(i => new[]
            {
                $$"""{"op":"open","entry":"open-{{i}}","operation":"Upload"}""",
                $$"""{"op":"add","entry":"open-{{i}}","counter":"Parts","delta":{{i}}}""",
                $$"""{"op":"acquireGuard","entry":"open-{{i}}","guard":"upload"}""",
                $$"""{"op":"close","entry":"open-{{i}}"}""",
            }).ToArray();
            var (status, _, _) = await api.PostNdjsonAsync(lines);
            Assert.Equal(HttpStatusCode.Accepted, status);
            // Every entry is open (held by its guard) before the signal: the last one answers with its state.
            var (lookup, body, _) = await api.GetAsync("/v1/entries/open-49");
            Assert.Equal("open", body.GetProperty("state").GetString());
        }

        service.Signal(ServiceProcess.SIGTERM);

        Assert.Equal(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(45)));
        await using var store = new SqliteSinkStore(Path.Combine(data, "aggregator.db"));
        await store.InitializeAsync();
        for (var i = 0; i < 50; i++)
        {
            var entry = await store.GetEntryAsync($"open-{i}");
            Assert.True(entry is not null, $"open-{i} was not persisted. Service output:\n{service.Output}");
            Assert.Equal(CloseReason.Shutdown, entry.CloseReason);
            Assert.Equal(i, entry.Counters.GetValueOrDefault("Parts"));
            Assert.Contains("guard:upload", entry.Pending);
        }
    }

    [Fact]
    public async Task A_second_sigterm_during_a_stuck_drain_exits_at_once()
    {
        var data = Path.Combine(root, "data");
        await using var service = await ServiceProcess.StartAsync(data, "--Serilog:MinimumLevel:Default=Warning", "--Aggregator:ShutdownTimeoutSeconds=120");
        using (var api = new ApiClient(new HttpClient { BaseAddress = service.Address }))
        {
            await api.PostNdjsonAsync("""{"op":"open","entry":"stuck-1","operation":"Upload"}""", """{"op":"acquireGuard","entry":"stuck-1","guard":"g"}""");
        }
        // Another writer holds the database: the sinks cannot journal, so the graceful drain cannot finish.
        using var blocker = new SqliteConnection($"Data Source={Path.Combine(data, "aggregator.db")}");
        blocker.Open();
        using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            begin.ExecuteNonQuery();
        }

        service.Signal(ServiceProcess.SIGTERM);
        // The first signal took: the server stopped listening and the drain (stuck) is running.
        await Eventually.GetAsync(async () => (!await service.AnswersAsync(), true), "the server to stop listening after the first SIGTERM");
        service.Signal(ServiceProcess.SIGTERM);

        Assert.Equal(130, await service.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("exiting now", service.Output);
    }
}
