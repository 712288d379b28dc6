using System.Diagnostics;
using Aggregator.Actors.Kernel;
using Xunit.Sdk;

namespace Aggregator.Testing.Tests;

public sealed class AwaitAssertTests : TestKit
{
    [Fact]
    public void Passes_once_the_assertion_holds_after_messages_are_processed()
    {
        var box = new CountingActor.Box();
        var counter = Sys.ActorOf(Props.Create(() => new CountingActor(box)), "counter");
        for (var i = 0; i < 200; i++) counter.Tell(new CountingActor.Increment(), null);

        AwaitAssert(() => Assert.Equal(200, box.Value), TimeSpan.FromSeconds(3));

        Assert.Equal(200, box.Value);
    }

    [Fact]
    public void Retries_until_the_assertion_passes()
    {
        var attempts = 0;

        AwaitAssert(() => Assert.True(++attempts >= 3), TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(1));

        Assert.Equal(3, attempts);
    }

    [Fact]
    public void Rethrows_the_last_failure_when_the_assertion_never_holds()
    {
        var attempts = 0;
        var watch = Stopwatch.StartNew();

        var error = Assert.Throws<InvalidOperationException>(() =>
            AwaitAssert(() => throw new InvalidOperationException($"attempt {++attempts}"), TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(5)));

        Assert.True(attempts > 1, "AwaitAssert did not retry");
        Assert.Equal($"attempt {attempts}", error.Message); // the last failure, not the first
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(130), $"gave up after {watch.Elapsed}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"kept trying for {watch.Elapsed}");
    }

    [Fact]
    public void Rethrows_an_assertion_failure_as_is()
    {
        var error = Assert.ThrowsAny<XunitException>(() => AwaitAssert(() => Assert.Equal(1, 2), TimeSpan.FromMilliseconds(50)));
        Assert.Contains("Assert.Equal() Failure", error.Message);
    }

    [Fact]
    public void AwaitCondition_passes_once_the_condition_holds()
    {
        var box = new CountingActor.Box();
        var counter = Sys.ActorOf(Props.Create(() => new CountingActor(box)), "counter");
        for (var i = 0; i < 50; i++) counter.Tell(new CountingActor.Increment(), null);

        AwaitCondition(() => box.Value == 50, TimeSpan.FromSeconds(3));

        Assert.Equal(50, box.Value);
    }

    [Fact]
    public void AwaitCondition_fails_with_the_given_message()
    {
        var error = Assert.Throws<XunitException>(() => AwaitCondition(() => false, TimeSpan.FromMilliseconds(100), "the counter never reached 3"));
        Assert.Equal("the counter never reached 3", error.Message);
    }

    [Fact]
    public void AwaitCondition_fails_with_a_default_message()
    {
        var error = Assert.Throws<XunitException>(() => AwaitCondition(() => false, TimeSpan.FromMilliseconds(100)));
        Assert.Equal("Condition did not become true in time.", error.Message);
    }
}
