using System.Diagnostics;
using Aggregator.Actors.Kernel;
using Xunit.Sdk;

namespace Aggregator.Testing.Tests;

public sealed class WithinTests : TestKit
{
    [Fact]
    public void Passes_for_a_block_that_finishes_in_time()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        var ran = false;

        Within(TimeSpan.FromSeconds(5), () =>
        {
            echo.Tell("quick", TestActor);
            ExpectMsg("quick");
            ran = true;
        });

        Assert.True(ran);
    }

    [Fact]
    public void Returns_the_value_of_the_block()
    {
        TestActor.Tell(new Ping(1), null);
        var ping = Within(TimeSpan.FromSeconds(2), () => ExpectMsg<Ping>());
        Assert.Equal(new Ping(1), ping);
    }

    [Fact]
    public void Fails_when_the_block_takes_longer_than_the_max()
    {
        // The block is slow by construction (it blocks for 150 ms), so the failure is certain.
        var error = Assert.Throws<XunitException>(() => Within(TimeSpan.FromMilliseconds(50), () => Thread.Sleep(150)));

        Assert.Contains("Expected the block to finish within 50 ms, but it took", error.Message);
    }

    [Fact]
    public void An_ExpectMsg_inside_waits_at_most_the_time_left()
    {
        var watch = Stopwatch.StartNew();

        var error = Assert.Throws<XunitException>(() =>
            Within(TimeSpan.FromMilliseconds(300), () => ExpectMsg<string>(TimeSpan.FromSeconds(10))));

        Assert.Contains("no message arrived", error.Message);
        Assert.DoesNotContain("10 s", error.Message); // it waited the remaining time, not its own timeout
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"ExpectMsg waited {watch.Elapsed}: its own 10 s timeout, not Within's 300 ms");
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(250), $"gave up after {watch.Elapsed}, before Within's max");
    }

    [Fact]
    public void A_default_timeout_inside_is_also_capped()
    {
        var watch = Stopwatch.StartNew();
        Assert.Throws<XunitException>(() => Within(TimeSpan.FromMilliseconds(200), () => ExpectMsg<string>()));
        Assert.True(watch.Elapsed < DefaultTimeout, $"waited {watch.Elapsed}: the default timeout, not Within's 200 ms");
    }

    [Fact]
    public void A_nested_Within_cannot_extend_the_outer_deadline()
    {
        var watch = Stopwatch.StartNew();

        Assert.Throws<XunitException>(() =>
            Within(TimeSpan.FromMilliseconds(200), () =>
                Within(TimeSpan.FromSeconds(10), () => ExpectMsg<string>(TimeSpan.FromSeconds(10)))));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"waited {watch.Elapsed}");
    }

    [Fact]
    public void Other_waits_inside_are_capped_too()
    {
        var watch = Stopwatch.StartNew();
        Assert.Throws<XunitException>(() => Within(TimeSpan.FromMilliseconds(200), () => ReceiveN(1, TimeSpan.FromSeconds(10))));
        Assert.Throws<XunitException>(() => Within(TimeSpan.FromMilliseconds(200), () => FishForMessage(_ => true, TimeSpan.FromSeconds(10))));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"waited {watch.Elapsed}");
    }

    [Fact]
    public void The_deadline_does_not_outlive_the_block()
    {
        Within(TimeSpan.FromMilliseconds(50), () => { });
        var watch = Stopwatch.StartNew();

        Assert.Throws<XunitException>(() => ExpectMsg<string>(TimeSpan.FromMilliseconds(300)));

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(250), $"an expired Within deadline still capped a later wait ({watch.Elapsed})");
    }

    [Fact]
    public void The_deadline_is_restored_when_the_block_throws()
    {
        Assert.Throws<InvalidOperationException>(() => Within(TimeSpan.FromMilliseconds(20), () => throw new InvalidOperationException()));
        var watch = Stopwatch.StartNew();

        Assert.Throws<XunitException>(() => ExpectMsg<string>(TimeSpan.FromMilliseconds(300)));

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(250), $"a Within that threw still capped a later wait ({watch.Elapsed})");
    }
}
