using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;

namespace Aggregator.Testing.Tests;

public sealed class VirtualClockTests
{
    private static readonly DateTimeOffset Start = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Time_moves_only_on_Advance()
    {
        var clock = new VirtualClock(Start);
        var timestamp = clock.GetTimestamp();

        // Let some real time pass: a clock that followed the wall clock would have moved.
        var real = Stopwatch.StartNew();
        while (real.ElapsedMilliseconds < 30) Thread.SpinWait(1000);
        Assert.Equal(Start, clock.GetUtcNow());
        Assert.Equal(timestamp, clock.GetTimestamp());
        Assert.Equal(TimeSpan.Zero, clock.GetElapsedTime(timestamp));

        clock.Advance(TimeSpan.FromMilliseconds(1500));

        Assert.Equal(Start.AddMilliseconds(1500), clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromMilliseconds(1500), clock.GetElapsedTime(timestamp));
    }

    [Fact]
    public void Starts_at_a_fixed_epoch_by_default()
    {
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new VirtualClock().GetUtcNow());
    }

    [Fact]
    public void Negative_Advance_throws_and_leaves_time_alone()
    {
        var clock = new VirtualClock(Start);
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromTicks(-1)));
        Assert.Equal(Start, clock.GetUtcNow());
    }

    [Fact]
    public void A_timer_fires_exactly_at_its_due_time_and_not_before()
    {
        var clock = new VirtualClock(Start);
        var firedAt = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => firedAt.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Empty(firedAt);
        Assert.Equal(1, clock.PendingTimers);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([Start.AddSeconds(1)], firedAt);

        clock.Advance(TimeSpan.FromSeconds(10)); // one-shot: never again
        Assert.Single(firedAt);
        Assert.Equal(0, clock.PendingTimers);
    }

    [Fact]
    public void The_callback_gets_its_state()
    {
        var clock = new VirtualClock();
        object? seen = null;
        var state = new object();
        using var timer = clock.CreateTimer(s => seen = s, state, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Same(state, seen);
    }

    [Fact]
    public void Timers_passed_by_one_Advance_fire_in_due_order_each_at_its_own_moment()
    {
        var clock = new VirtualClock(Start);
        var fired = new List<(string Name, DateTimeOffset At)>();
        ITimer Create(string name, int seconds) =>
            clock.CreateTimer(_ => fired.Add((name, clock.GetUtcNow())), null, TimeSpan.FromSeconds(seconds), Timeout.InfiniteTimeSpan);
        using var c = Create("c", 3);
        using var a = Create("a", 1);
        using var late = Create("late", 6);
        using var b = Create("b", 2);

        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal([("a", Start.AddSeconds(1)), ("b", Start.AddSeconds(2)), ("c", Start.AddSeconds(3))], fired);
        Assert.Equal(Start.AddSeconds(5), clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(("late", Start.AddSeconds(6)), fired[^1]);
    }

    [Fact]
    public void Property_any_set_of_due_times_fires_in_order_at_the_exact_moments()
    {
        var dueTimes = Gen.Choose(0, 10_000).ListOf().Select(list => list.ToArray());
        var property = Prop.ForAll(dueTimes.ToArbitrary(), (int[] dueMs) =>
        {
            var clock = new VirtualClock(Start);
            var fired = new List<(int Due, DateTimeOffset At)>();
            var timers = dueMs.Select(due => clock.CreateTimer(
                _ => fired.Add((due, clock.GetUtcNow())), null, TimeSpan.FromMilliseconds(due), Timeout.InfiniteTimeSpan)).ToList();

            clock.Advance(TimeSpan.FromMilliseconds(10_000));
            timers.ForEach(t => t.Dispose());

            var expected = dueMs.Order().Select(due => (due, Start.AddMilliseconds(due))).ToList();
            return fired.SequenceEqual(expected);
        });
        Check.QuickThrowOnFailure(property);
    }

    [Fact]
    public void A_periodic_timer_fires_once_per_period_crossed()
    {
        var clock = new VirtualClock(Start);
        var firedAt = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => firedAt.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(Enumerable.Range(1, 10).Select(s => Start.AddSeconds(s)), firedAt);
        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(10, firedAt.Count);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(11, firedAt.Count);
    }

    [Fact]
    public void Property_periodic_count_is_the_number_of_periods_crossed()
    {
        var cases = Gen.Choose(1, 2_000).SelectMany(_ => Gen.Choose(0, 20_000), (period, advance) => (period, advance));
        var property = Prop.ForAll(cases.ToArbitrary(), ((int Period, int Advance) c) =>
        {
            var clock = new VirtualClock();
            var count = 0;
            using var timer = clock.CreateTimer(_ => count++, null, TimeSpan.FromMilliseconds(c.Period), TimeSpan.FromMilliseconds(c.Period));
            clock.Advance(TimeSpan.FromMilliseconds(c.Advance));
            return count == c.Advance / c.Period;
        });
        Check.QuickThrowOnFailure(property);
    }

    [Fact]
    public void Change_rearms_relative_to_the_current_virtual_time()
    {
        var clock = new VirtualClock(Start);
        var firedAt = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => firedAt.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan)); // now due at 1.5 s

        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Empty(firedAt);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([Start.AddMilliseconds(1500)], firedAt);

        // A fired one-shot timer can be armed again.
        timer.Change(TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal([Start.AddMilliseconds(1500), Start.AddMilliseconds(3500)], firedAt);
    }

    [Fact]
    public void Change_to_infinite_disarms()
    {
        var clock = new VirtualClock();
        var count = 0;
        using var timer = clock.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Assert.Equal(0, clock.PendingTimers);
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, count);
    }

    [Fact]
    public void A_timer_due_now_fires_without_Advance()
    {
        // As with a real timer, it fires on the thread pool, not inside CreateTimer.
        var clock = new VirtualClock(Start);
        using var fired = new ManualResetEventSlim();
        var firedAt = DateTimeOffset.MinValue;
        using var timer = clock.CreateTimer(_ => { firedAt = clock.GetUtcNow(); fired.Set(); }, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);

        Assert.True(fired.Wait(TimeSpan.FromSeconds(3)), "a timer due now must fire without Advance");
        Assert.Equal(Start, firedAt);
    }

    [Fact]
    public void A_timer_due_now_fires_on_Advance_of_zero()
    {
        var clock = new VirtualClock(Start);
        var firedAt = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => firedAt.Add(clock.GetUtcNow()), null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.Zero);

        Assert.Equal([Start], firedAt);
    }

    [Fact]
    public void Change_after_Dispose_returns_false()
    {
        var clock = new VirtualClock();
        var count = 0;
        var timer = clock.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        timer.Dispose();

        Assert.False(timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, count);
    }

    [Fact]
    public void Dispose_cancels_a_timer()
    {
        var clock = new VirtualClock();
        var count = 0;
        var timer = clock.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        Assert.Equal(1, clock.PendingTimers);

        timer.Dispose();

        Assert.Equal(0, clock.PendingTimers);
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, count);
    }

    [Fact]
    public void A_periodic_timer_disposed_by_its_own_callback_stops()
    {
        var clock = new VirtualClock();
        var count = 0;
        ITimer? timer = null;
        timer = clock.CreateTimer(_ =>
        {
            if (++count == 3) timer!.Dispose();
        }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(3, count);
    }

    [Fact]
    public void A_timer_created_by_a_callback_within_the_same_Advance_window_fires_in_that_window()
    {
        var clock = new VirtualClock(Start);
        var fired = new List<(string Name, DateTimeOffset At)>();
        var created = new List<ITimer>();
        using var first = clock.CreateTimer(_ =>
        {
            fired.Add(("first", clock.GetUtcNow()));
            created.Add(clock.CreateTimer(_ => fired.Add(("inside", clock.GetUtcNow())), null, TimeSpan.FromMilliseconds(500), Timeout.InfiniteTimeSpan));
            created.Add(clock.CreateTimer(_ => fired.Add(("outside", clock.GetUtcNow())), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan));
        }, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        using var between = clock.CreateTimer(_ => fired.Add(("between", clock.GetUtcNow())), null, TimeSpan.FromMilliseconds(1200), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(
            [("first", Start.AddSeconds(1)), ("between", Start.AddMilliseconds(1200)), ("inside", Start.AddMilliseconds(1500))],
            fired);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(("outside", Start.AddSeconds(3)), fired[^1]);
        created.ForEach(t => t.Dispose());
    }

    [Fact]
    public async Task Task_Delay_on_the_clock_completes_only_after_Advance()
    {
        var clock = new VirtualClock();
        var delay = Task.Delay(TimeSpan.FromSeconds(1), clock);

        var real = Stopwatch.StartNew();
        while (real.ElapsedMilliseconds < 30) Thread.SpinWait(1000);
        Assert.False(delay.IsCompleted);

        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(delay.IsCompleted);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(delay.IsCompletedSuccessfully);
    }

    [Fact]
    public void CancellationTokenSource_on_the_clock_cancels_only_after_Advance()
    {
        var clock = new VirtualClock();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(2), clock);

        clock.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.False(cancellation.IsCancellationRequested);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(cancellation.IsCancellationRequested);
    }

    [Fact]
    public async Task An_awaited_delay_resumes_after_Advance()
    {
        var clock = new VirtualClock();
        var resumed = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiter = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromMinutes(5), clock);
            resumed.SetResult(clock.GetUtcNow());
        });
        // The delay's timer exists once the waiter has started; only then does advancing mean anything.
        var real = Stopwatch.StartNew();
        while (clock.PendingTimers == 0 && real.Elapsed < TimeSpan.FromSeconds(5)) await Task.Yield();
        Assert.Equal(1, clock.PendingTimers);
        Assert.False(resumed.Task.IsCompleted);

        clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(new VirtualClock().GetUtcNow().AddMinutes(5), await resumed.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        await waiter;
    }
}
