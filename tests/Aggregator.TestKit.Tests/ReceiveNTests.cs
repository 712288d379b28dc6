using Aggregator.Actors.Kernel;
using Xunit.Sdk;

namespace Aggregator.Testing.Tests;

public sealed class ReceiveNTests : TestKit
{
    [Fact]
    public void Returns_exactly_n_messages_in_order()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        for (var i = 0; i < 5; i++) echo.Tell(new Ping(i), TestActor);

        var received = ReceiveN(3);

        Assert.Equal([new Ping(0), new Ping(1), new Ping(2)], received);
        Assert.Equal(new Ping(3), ExpectMsg<Ping>()); // the rest were left in the queue
    }

    [Fact]
    public void Zero_returns_at_once()
    {
        Assert.Empty(ReceiveN(0, TimeSpan.FromMilliseconds(10)));
    }

    [Fact]
    public void Fails_saying_how_many_arrived()
    {
        TestActor.Tell("a", null);
        TestActor.Tell("b", null);

        var error = Assert.Throws<XunitException>(() => ReceiveN(3, TimeSpan.FromMilliseconds(100)));

        Assert.Contains("Expected 3 messages at testActor within 100 ms, but received 2", error.Message);
    }
}
