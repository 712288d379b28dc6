using System.Collections.Concurrent;
using Aggregator.Contracts;
using Aggregator.Contracts.Client;
using Aggregator.Host.Tests.Api;

namespace Aggregator.Host.Tests.Client;

/// <summary>Entries written through <see cref="AggregatorClient"/> over real HTTP reach the SQLite store as the in-process API would make them.</summary>
public sealed class ClientEntryTests
{
    [Fact]
    public async Task An_entry_with_every_message_kind_arrives_closed_with_its_fields_counters_and_slots()
    {
        await using var service = await ClientHost.StartAsync();
        var client = service.Client;

        string id;
        using (var entry = client.Open("GetItem", new Dictionary<string, string> { ["Region"] = "eu" },
                   forceFlushAfter: TimeSpan.FromSeconds(30), maxLifetime: TimeSpan.FromMinutes(5)))
        {
            id = entry.Id;
            entry.Set("Status", "ok").Set("Cached", true).Set("Bytes", FieldValue.Of(4096, FieldUnit.Bytes)).Set("Took", TimeSpan.FromMilliseconds(12.5));
            entry.Add("Retries").Add("Retries", 2);
            entry.Observe("DownstreamMs", 12.5, FieldUnit.Milliseconds).Observe("DownstreamMs", 7.5, FieldUnit.Milliseconds);
            entry.StartTimer("Total");
            var db = entry.OpenSlot("Db");
            db.Set("Rows", 3).Add("Calls", 2).Observe("Wait", 250, FieldUnit.Microseconds);
            db.Complete();
            var cache = entry.OpenSlot("Cache");
            cache.Fail("timeout");
            var guard = entry.AcquireGuard("upload");
            guard.Release();
            entry.StopTimer("Total");
        }
        var discarded = client.Open("GetItem");
        discarded.Set("Status", "never");
        discarded.Discard();

        Assert.True(await client.FlushAsync());
        var closed = await service.Api.ClosedEntryAsync(id);

        Assert.Equal("GetItem", closed.GetProperty("operation").GetString());
        Assert.Equal("eu", closed.GetProperty("dimensions").GetProperty("Region").GetString());
        var fields = closed.GetProperty("fields");
        Assert.Equal("ok", fields.GetProperty("Status").GetString());
        Assert.True(fields.GetProperty("Cached").GetBoolean());
        Assert.Equal(4096, fields.GetProperty("Bytes").GetProperty("number").GetDouble());
        Assert.Equal(3, fields.GetProperty("Db.Rows").GetDouble());
        Assert.True(fields.TryGetProperty("Took", out _));
        Assert.True(fields.TryGetProperty("Total", out _), "the stopped timer is a field");
        var counters = closed.GetProperty("counters");
        Assert.Equal(3, counters.GetProperty("Retries").GetInt64());
        Assert.Equal(2, counters.GetProperty("Db.Calls").GetInt64());
        var downstream = closed.GetProperty("distributions").GetProperty("DownstreamMs");
        Assert.Equal(2, downstream.GetProperty("count").GetInt64());
        Assert.Equal(20, downstream.GetProperty("sum").GetDouble());
        Assert.Equal(1, closed.GetProperty("distributions").GetProperty("Db.Wait").GetProperty("count").GetInt64());
        Assert.Equal(["Cache"], closed.GetProperty("failedSlots").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("completed", closed.GetProperty("closeReason").GetString());
        Assert.Empty(closed.GetProperty("pending").EnumerateArray());

        var (status, _, _) = await service.Api.GetAsync($"/v1/entries/{discarded.Id}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, status);
        var stats = client.Statistics;
        Assert.Equal(stats.Enqueued, stats.Accepted);
        Assert.Equal(0, stats.Rejected + stats.FailedBatches + stats.DroppedOverflow + stats.InBuffer);
    }

    [Fact]
    public async Task Many_entries_from_many_threads_all_arrive_exactly_once()
    {
        const int threads = 4, perThread = 500;
        await using var service = await ClientHost.StartAsync(o => o with { Senders = 2, MaxBatchMessages = 200 });
        var ids = new ConcurrentBag<string>();

        await Task.WhenAll(Enumerable.Range(0, threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < perThread; i++)
            {
                using var entry = service.Client.Open("Many");
                entry.Set("thread", t).Add("n", i).Observe("v", i);
                var slot = entry.OpenSlot("s");
                slot.Set("a", i);
                slot.Complete();
                ids.Add(entry.Id);
            }
        })));
        Assert.True(await service.Client.FlushAsync());

        const int total = threads * perThread;
        await Eventually.GetAsync(() => Task.FromResult((service.Stored().Journaled >= total, 0)), $"{total} entries to be journaled");
        Assert.Equal((total, 0L), service.Stored());
        Assert.Equal(total, ids.Distinct().Count());
        var stats = service.Client.Statistics;
        Assert.Equal(total * 8L, stats.Enqueued); // open, set, add, observe, openSlot, slot set, completeSlot, close
        Assert.Equal(stats.Enqueued, stats.Accepted);
        foreach (var id in ids.Take(20))
        {
            var closed = await service.Api.ClosedEntryAsync(id);
            Assert.Equal("Many", closed.GetProperty("operation").GetString());
            Assert.Equal(1, closed.GetProperty("distributions").GetProperty("v").GetProperty("count").GetInt64());
        }
    }

    [Fact]
    public async Task Messages_the_service_rejects_are_counted_from_the_200_body_and_reported()
    {
        var rejections = new ConcurrentQueue<MessageRejection>();
        await using var service = await ClientHost.StartAsync(o => o with { OnRejected = rejections.Enqueue });
        var client = service.Client;

        var entry = client.Open("Rejecting");
        entry.Add("n", -1);                                        // counters only grow
        client.Tell(new Set(entry.Id, new string('f', 300), 1));   // name over the 256 limit
        entry.Add("n", 4);
        entry.Close();
        Assert.True(await client.FlushAsync());

        var closed = await service.Api.ClosedEntryAsync(entry.Id);
        Assert.Equal(4, closed.GetProperty("counters").GetProperty("n").GetInt64());
        var stats = client.Statistics;
        Assert.Equal(2, stats.Rejected);
        Assert.Equal(3, stats.Accepted);
        Assert.Equal(0, stats.FailedBatches);
        Assert.Collection(rejections.OrderBy(r => r.Message is Add ? 0 : 1),
            r => Assert.Contains("must not be negative", r.Error),
            r => Assert.Contains("the limit is 256", r.Error));
    }

    [Fact]
    public async Task Disposing_the_client_sends_what_it_still_buffers()
    {
        await using var service = await ClientHost.StartAsync();
        // A linger far longer than the test: only disposal can send these.
        var client = new AggregatorClient(service.Client.Options with { Linger = TimeSpan.FromMinutes(5), MaxBatchMessages = 100_000 });
        var ids = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            using var entry = client.Open("Disposed");
            entry.Add("n", i);
            ids.Add(entry.Id);
        }
        Assert.Equal(150, client.Statistics.InBuffer);

        await client.DisposeAsync();

        var stats = client.Statistics;
        Assert.Equal(150, stats.Accepted);
        Assert.Equal(0, stats.InBuffer);
        foreach (var id in ids) await service.Api.ClosedEntryAsync(id);
        Assert.False(client.Tell(new Close(ids[0])), "a disposed client takes nothing more");
        Assert.Equal(1, client.Statistics.UseAfterClose);
    }

    [Fact]
    public async Task Use_after_close_is_counted_and_sends_nothing()
    {
        await using var service = await ClientHost.StartAsync();
        var entry = service.Client.Open("Late");
        entry.Close();
        entry.Set("after", 1).Add("after");
        entry.Close();
        entry.Observe("nan", double.NaN);
        var other = service.Client.Open("Late");
        other.Observe("nan", double.NaN).Close();

        Assert.True(await service.Client.FlushAsync());
        var stats = service.Client.Statistics;
        Assert.Equal(4, stats.UseAfterClose);
        Assert.Equal(1, stats.Unwritable);
        Assert.Equal(4, stats.Accepted);
        var closed = await service.Api.ClosedEntryAsync(entry.Id);
        Assert.False(closed.GetProperty("fields").TryGetProperty("after", out _));
    }
}
