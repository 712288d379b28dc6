using System.Diagnostics;
using Xunit.Sdk;

namespace Aggregator.Testing.Tests;

public sealed class ExpectNoMsgTests : TestKit
{
    [Fact]
    public void Passes_when_nothing_arrives_and_waits_the_whole_duration()
    {
        var watch = Stopwatch.StartNew();

        ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(80), $"returned after {watch.Elapsed}");
    }

    [Fact]
    public void Fails_naming_the_message_that_arrived()
    {
        TestActor.Tell(new Ping(9), null);

        var error = Assert.Throws<XunitException>(() => ExpectNoMsg(TimeSpan.FromMilliseconds(100)));

        Assert.Contains("Expected no message at testActor for 100 ms", error.Message);
        Assert.Contains("received Ping Ping { N = 9 } from nobody", error.Message);
    }

    [Fact]
    public async Task Fails_as_soon_as_a_message_arrives_during_the_wait()
    {
        var waiting = Task.Run(() => ExpectNoMsg(TimeSpan.FromSeconds(20)));
        var watch = Stopwatch.StartNew();
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(1), TestActor, "intruder", null);
        Clock.Advance(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<XunitException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Contains("received String intruder", error.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "ExpectNoMsg did not notice the message until its duration ran out");
    }

    [Fact]
    public void Takes_the_offending_message_so_the_queue_moves_on()
    {
        TestActor.Tell("first", null);
        TestActor.Tell("second", null);
        Assert.Throws<XunitException>(() => ExpectNoMsg(TimeSpan.FromMilliseconds(50)));
        ExpectMsg("second");
    }
}
