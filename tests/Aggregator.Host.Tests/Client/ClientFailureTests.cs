using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Aggregator.Contracts;
using Aggregator.Contracts.Client;
using Aggregator.Host.Tests.Api;
using Microsoft.Data.Sqlite;

namespace Aggregator.Host.Tests.Client;

/// <summary>
/// What the network and the service do to a producer never reaches its thread: overflow is dropped and counted, 503 is
/// retried until the service takes the batch, a service that is not there costs retries and then a counted failure.
/// </summary>
public sealed class ClientFailureTests
{
    [Fact]
    public async Task A_full_buffer_drops_and_counts_instead_of_blocking_or_throwing()
    {
        // A listener that accepts connections and never answers: the one sender stays stuck on its first batch.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var client = new AggregatorClient(new AggregatorClientOptions
        {
            BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}"),
            Senders = 1,
            BufferCapacity = 10,
            MaxBatchMessages = 5,
            Linger = TimeSpan.Zero,
            MaxRetryAttempts = 0,
            FlushTimeout = TimeSpan.FromMilliseconds(500),
        });

        var told = 0;
        var taken = 0;
        for (var i = 0; i < 1_000; i++)
        {
            told++;
            if (client.Tell(new Add("overflow", "n", 1))) taken++;
        }

        var stats = client.Statistics;
        Assert.Equal(told, stats.Enqueued + stats.DroppedOverflow);
        Assert.Equal(taken, stats.Enqueued);
        Assert.InRange(stats.Enqueued, 10, 15);
        Assert.False(await client.FlushAsync(), "nothing can be sent, so the flush runs out of time");

        await client.DisposeAsync();
        var after = client.Statistics;
        Assert.Equal(after.Enqueued, after.Abandoned + after.FailedMessages);
        Assert.Equal(0, after.InBuffer);
    }

    [Fact]
    public async Task No_service_is_retried_with_backoff_then_counted_as_a_failed_batch_without_throwing()
    {
        var port = FreePort();
        var failures = new ConcurrentQueue<BatchFailure>();
        await using var client = new AggregatorClient(new AggregatorClientOptions
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            Senders = 1,
            MaxRetryAttempts = 3,
            RetryDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromMilliseconds(50),
            OnBatchFailed = failures.Enqueue,
        });

        using (var entry = client.Open("Nowhere")) entry.Add("n");

        Assert.True(await client.FlushAsync());
        var stats = client.Statistics;
        Assert.Equal(1, stats.FailedBatches);
        Assert.Equal(3, stats.FailedMessages);
        Assert.Equal(3, stats.Retries);
        Assert.Equal(0, stats.Accepted);
        var failure = Assert.Single(failures);
        Assert.Null(failure.Status);
        Assert.Contains("connection failed", failure.Error);
    }

    [Fact]
    public async Task A_503_is_retried_until_the_service_takes_the_batch_and_everything_sent_arrives()
    {
        await using var service = await ClientHost.StartAsync(o => o with
        {
            Senders = 1,
            MaxBatchMessages = 10,
            Linger = TimeSpan.Zero,
            MaxRetryAttempts = 1_000,
            RetryDelay = TimeSpan.FromMilliseconds(20),
            MaxRetryDelay = TimeSpan.FromMilliseconds(200),
        }, new Dictionary<string, string?>
        {
            ["Aggregator:Sinks:Shards"] = "1",
            ["Aggregator:Sinks:BufferCapacity"] = "5",
            ["Aggregator:Sinks:BatchSize"] = "5",
            ["Aggregator:Http:RetryAfterSeconds"] = "1",
        });
        var blocker = new SqliteConnection($"Data Source={Path.Combine(service.Host.DataDirectory, "aggregator.db")}");
        blocker.Open();
        using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            begin.ExecuteNonQuery();
        }

        var ids = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            using var entry = service.Client.Open("Pressure");
            ids.Add(entry.Id);
        }
        await Eventually.GetAsync(() => Task.FromResult((service.Client.Statistics.Retries > 0, 0)), "the client to retry a 503");
        Assert.True(service.Client.Statistics.InBuffer > 0, "the refused batch is still held");

        blocker.Dispose();
        SqliteConnection.ClearAllPools();
        Assert.True(await service.Client.FlushAsync());

        var stats = service.Client.Statistics;
        Assert.Equal(200, stats.Accepted);
        Assert.Equal(0, stats.FailedBatches + stats.DroppedOverflow);
        foreach (var id in ids) await service.Api.ClosedEntryAsync(id);
        Assert.Equal((100L, 0L), service.Stored());
    }

    [Fact]
    public async Task A_413_is_not_retried_but_counted_as_a_failed_batch_and_reported()
    {
        var failures = new ConcurrentQueue<BatchFailure>();
        await using var service = await ClientHost.StartAsync(o => o with
        {
            Senders = 1,
            Linger = TimeSpan.FromMinutes(5),
            OnBatchFailed = failures.Enqueue,
        }, new Dictionary<string, string?> { ["Aggregator:Http:MaxRequestBytes"] = "300" });

        var entry = service.Client.Open("TooLarge");
        for (var i = 0; i < 10; i++) entry.Add("n", i);
        entry.Close();
        Assert.True(await service.Client.FlushAsync());

        var stats = service.Client.Statistics;
        Assert.Equal(1, stats.FailedBatches);
        Assert.Equal(12, stats.FailedMessages);
        Assert.Equal(0, stats.Retries);
        Assert.Equal(0, stats.Accepted);
        var failure = Assert.Single(failures);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, failure.Status);
        Assert.Contains("413", failure.Error);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
