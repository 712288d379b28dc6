using Aggregator.Actors.Entries;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Entries;

/// <summary>Contract rows Set, Add, Observe, and the stopwatch timers.</summary>
public sealed class EntryFieldTests : EntryTestKit
{
    [Fact]
    public void Set_keeps_the_last_write_and_every_value_kind()
    {
        var at = new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
        Send(new Open("e1", "Op"));
        Send(new Set("e1", "status", "pending"));
        Send(new Set("e1", "status", "ok"));
        Send(new Set("e1", "latency", FieldValue.Of(12.5, FieldUnit.Milliseconds)));
        Send(new Set("e1", "cached", true));
        Send(new Set("e1", "wait", TimeSpan.FromSeconds(2)));
        Send(new Set("e1", "at", at));
        Send(new Close("e1"));

        var fields = ExpectClosed("e1", CloseReason.Completed).Fields;
        Assert.Equal("ok", fields["status"].Text);
        Assert.Equal(FieldValue.Of(12.5, FieldUnit.Milliseconds), fields["latency"]);
        Assert.True(fields["cached"].Flag);
        Assert.Equal(TimeSpan.FromSeconds(2), fields["wait"].Duration);
        Assert.Equal(at, fields["at"].Timestamp);
    }

    [Fact]
    public void Add_sums_the_deltas_of_many_contributors()
    {
        Send(new Open("e1", "Op"));
        var contributors = Enumerable.Range(0, 5).Select(_ => CreateTestProbe()).ToList();
        foreach (var contributor in contributors)
            for (var i = 1; i <= 10; i++) Send(new Add("e1", "ducks", i), contributor.Ref);
        // Each contributor's own barrier: its adds have been applied once the entry answers it.
        foreach (var contributor in contributors)
        {
            Send(new GetEntryState("e1"), contributor.Ref);
            contributor.ExpectMsg<EntryState>();
        }
        Send(new Add("e1", "ducks", -5));
        Send(new Close("e1"));

        Assert.Equal(5 * 55 - 5, ExpectClosed("e1", CloseReason.Completed).Counters["ducks"]);
    }

    [Fact]
    public void Observe_summarises_count_sum_min_max_and_exact_quantiles()
    {
        Send(new Open("e1", "Op"));
        for (var i = 1; i <= 100; i++) Send(new Observe("e1", "latency", i, FieldUnit.Milliseconds));
        Send(new Close("e1"));

        var latency = ExpectClosed("e1", CloseReason.Completed).Distributions["latency"];
        Assert.Equal(100, latency.Count);
        Assert.Equal(5050, latency.Sum);
        Assert.Equal(1, latency.Min);
        Assert.Equal(100, latency.Max);
        Assert.Equal(FieldUnit.Milliseconds, latency.Unit);
        Assert.Equal([new(0.5, 50), new(0.9, 90), new(0.99, 99)], latency.Quantiles);
    }

    [Fact]
    public void A_non_finite_observation_is_rejected_and_the_rest_are_kept()
    {
        Send(new Open("e1", "Op"));
        Send(new Observe("e1", "x", 1));
        Send(new Observe("e1", "x", double.NaN));
        Send(new Observe("e1", "x", double.PositiveInfinity));
        Send(new Observe("e1", "x", 3));
        Send(new Close("e1"));

        var x = ExpectClosed("e1", CloseReason.Completed).Distributions["x"];
        Assert.Equal(2, x.Count);
        Assert.Equal(4, x.Sum);
        AwaitStat("Op", s => s.Rejected, 2);
    }

    [Fact]
    public void Timers_accumulate_elapsed_time_and_a_running_timer_stops_at_close()
    {
        var start = Clock.GetUtcNow();
        Send(new Open("e1", "Op"));
        Send(new StartTimer("e1", "db", start));
        Send(new StopTimer("e1", "db", start + TimeSpan.FromMilliseconds(30)));
        Send(new StartTimer("e1", "db", start + TimeSpan.FromMilliseconds(100)));
        Send(new StopTimer("e1", "db", start + TimeSpan.FromMilliseconds(110)));
        Send(new StartTimer("e1", "total"));
        StateOf("e1");
        Clock.Advance(TimeSpan.FromSeconds(2));
        Send(new Close("e1"));

        var fields = ExpectClosed("e1", CloseReason.Completed).Fields;
        Assert.Equal(TimeSpan.FromMilliseconds(40), fields["db"].Duration);
        Assert.Equal(TimeSpan.FromSeconds(2), fields["total"].Duration);
    }

    [Fact]
    public void Stopping_a_timer_that_is_not_running_is_rejected_and_counted()
    {
        Send(new Open("e1", "Op"));
        Send(new StopTimer("e1", "never-started"));
        Send(new Close("e1"));
        ExpectClosed("e1", CloseReason.Completed);
        AwaitStat("Op", s => s.Rejected, 1);
    }

}
