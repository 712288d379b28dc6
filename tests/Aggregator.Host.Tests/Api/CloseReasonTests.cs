using System.Net;

namespace Aggregator.Host.Tests.Api;

/// <summary>Every close reason reached over HTTP, and slots and guards spread across separate requests.</summary>
public sealed class CloseReasonTests : IAsyncLifetime
{
    private ApiHost service = null!;
    private ApiClient Api => service.Api;

    public async Task InitializeAsync() => service = await ApiHost.StartAsync();

    public async Task DisposeAsync() => await service.DisposeAsync();

    [Fact]
    public async Task Releasing_a_force_guard_closes_as_force_flushed_despite_a_flush_guard()
    {
        await Api.PostNdjsonAsync(
            """{"op":"open","entry":"ff-1","operation":"Job"}""",
            """{"op":"acquireGuard","entry":"ff-1","guard":"background"}""",
            """{"op":"acquireGuard","entry":"ff-1","guard":"deadline","force":true}""",
            """{"op":"close","entry":"ff-1"}""");
        await Api.PostNdjsonAsync("""{"op":"releaseGuard","entry":"ff-1","guard":"deadline"}""");

        var entry = await Api.ClosedEntryAsync("ff-1");

        Assert.Equal("forceFlushed", entry.GetProperty("closeReason").GetString());
        Assert.Contains("guard:background", entry.GetProperty("pending").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task The_force_flush_deadline_closes_as_timed_out()
    {
        await Api.PostNdjsonAsync(
            """{"op":"open","entry":"to-1","operation":"Job","forceFlushAfterMs":150}""",
            """{"op":"acquireGuard","entry":"to-1","guard":"slow"}""",
            """{"op":"close","entry":"to-1"}""");

        var entry = await Api.ClosedEntryAsync("to-1");

        Assert.Equal("timedOut", entry.GetProperty("closeReason").GetString());
    }

    [Fact]
    public async Task The_max_lifetime_closes_an_entry_whose_owner_never_closed_it_as_expired()
    {
        await Api.PostNdjsonAsync("""{"op":"open","entry":"ex-1","operation":"Job","maxLifetimeMs":150}""");

        var entry = await Api.ClosedEntryAsync("ex-1");

        Assert.Equal("expired", entry.GetProperty("closeReason").GetString());
    }

    [Fact]
    public async Task Slots_and_guards_across_separate_requests_hold_the_entry_until_each_is_released()
    {
        await Api.PostNdjsonAsync("""{"op":"open","entry":"multi-1","operation":"Checkout"}""");
        await Api.PostNdjsonAsync("""{"op":"openSlot","entry":"multi-1","slot":"Db","mode":"wait"}""");
        await Api.PostNdjsonAsync("""{"op":"openSlot","entry":"multi-1","slot":"Cache","mode":"wait"}""");
        await Api.PostNdjsonAsync("""{"op":"set","entry":"multi-1","slot":"Db","field":"Rows","value":3}""");
        await Api.PostNdjsonAsync("""{"op":"acquireGuard","entry":"multi-1","guard":"audit"}""");
        await Api.PostNdjsonAsync("""{"op":"close","entry":"multi-1"}""");

        var (_, open, _) = await Api.GetAsync("/v1/entries/multi-1");
        Assert.Equal("open", open.GetProperty("state").GetString());
        Assert.True(open.GetProperty("ownerReleased").GetBoolean());
        Assert.Equal(["guard:audit", "slot:Cache", "slot:Db"], open.GetProperty("pending").EnumerateArray().Select(p => p.GetString()!).Order());

        await Api.PostNdjsonAsync("""{"op":"completeSlot","entry":"multi-1","slot":"Db"}""");
        await Api.PostNdjsonAsync("""{"op":"failSlot","entry":"multi-1","slot":"Cache","error":"timeout"}""");
        // A failed slot's child stops, and the entry hears of it through DeathWatch, a moment after the request.
        var pending = await Eventually.GetAsync(async () =>
        {
            var (_, state, _) = await Api.GetAsync("/v1/entries/multi-1");
            var names = state.GetProperty("pending").EnumerateArray().Select(p => p.GetString()!).ToList();
            return (!names.Contains("slot:Cache"), names);
        }, "the failed slot to be released");
        Assert.Equal(["guard:audit"], pending);

        await Api.PostNdjsonAsync("""{"op":"releaseGuard","entry":"multi-1","guard":"audit"}""");
        var entry = await Api.ClosedEntryAsync("multi-1");
        Assert.Equal("completed", entry.GetProperty("closeReason").GetString());
        Assert.Equal(3, entry.GetProperty("fields").GetProperty("Db.Rows").GetDouble());
        Assert.Equal(["Cache"], entry.GetProperty("failedSlots").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task A_discarded_entry_is_never_stored()
    {
        await Api.PostNdjsonAsync(
            """{"op":"open","entry":"gone-1","operation":"Job"}""",
            """{"op":"set","entry":"gone-1","field":"Status","value":"ok"}""",
            """{"op":"discard","entry":"gone-1"}""",
            // A later entry of the same request reaching the store shows the sinks have seen everything before it.
            """{"op":"open","entry":"gone-2","operation":"Job"}""",
            """{"op":"close","entry":"gone-2"}""");

        await Api.ClosedEntryAsync("gone-2");
        var (status, _, _) = await Api.GetAsync("/v1/entries/gone-1");

        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task Stopping_the_service_closes_open_entries_as_shutdown_and_a_restart_serves_them()
    {
        await Api.PostNdjsonAsync(
            """{"op":"open","entry":"sd-1","operation":"Job"}""",
            """{"op":"add","entry":"sd-1","counter":"Steps","delta":2}""",
            """{"op":"acquireGuard","entry":"sd-1","guard":"g"}""");
        var (_, open, _) = await Api.GetAsync("/v1/entries/sd-1");
        Assert.Equal("open", open.GetProperty("state").GetString());

        var dataDirectory = service.Host.DataDirectory;
        await service.Host.App.StopAsync(TestContext.Timeout);
        await using var restarted = await ApiHost.StartAsync(new Dictionary<string, string?> { ["Aggregator:DataDirectory"] = dataDirectory });

        var entry = await restarted.Api.ClosedEntryAsync("sd-1");
        Assert.Equal("shutdown", entry.GetProperty("closeReason").GetString());
        Assert.Equal(2, entry.GetProperty("counters").GetProperty("Steps").GetInt64());
    }
}
