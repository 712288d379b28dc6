using Xunit.Sdk;

namespace Aggregator.Testing.Tests;

public sealed class FishForMessageTests : TestKit
{
    [Fact]
    public void Skips_messages_until_one_matches_and_returns_it()
    {
        TestActor.Tell(1, null);
        TestActor.Tell("noise", null);
        TestActor.Tell(new Ping(2), null);
        TestActor.Tell("after", null);

        var found = FishForMessage(m => m is Ping);

        Assert.Equal(new Ping(2), found);
        ExpectMsg("after"); // the skipped ones are gone, the later ones stay
    }

    [Fact]
    public void Typed_overload_skips_other_types_and_non_matching_values()
    {
        TestActor.Tell("text", null);
        TestActor.Tell(new Ping(1), null);
        TestActor.Tell(new Ping(10), null);

        var found = FishForMessage<Ping>(p => p.N > 5);

        Assert.Equal(10, found.N);
    }

    [Fact]
    public async Task Waits_for_a_match_that_comes_later()
    {
        var fishing = Task.Run(() => FishForMessage<string>(s => s == "match", TimeSpan.FromSeconds(5)));
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(1), TestActor, "skip", null);
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(2), TestActor, "match", null);
        Clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal("match", await fishing.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Fails_listing_the_skipped_messages()
    {
        TestActor.Tell("x", null);
        TestActor.Tell(7, null);

        var error = Assert.Throws<XunitException>(() => FishForMessage(m => m is Ping, TimeSpan.FromMilliseconds(100)));

        Assert.Contains("without a match", error.Message);
        Assert.Contains("skipped: [String x from nobody, Int32 7 from nobody]", error.Message);
    }

    [Fact]
    public void Fails_with_an_empty_list_when_nothing_arrived()
    {
        var error = Assert.Throws<XunitException>(() => FishForMessage(_ => true, TimeSpan.FromMilliseconds(100)));
        Assert.Contains("skipped: []", error.Message);
    }
}
