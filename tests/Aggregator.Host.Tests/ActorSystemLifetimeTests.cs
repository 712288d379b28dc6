using Aggregator.Actors.Kernel;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Host.Tests;

public sealed class ActorSystemLifetimeTests
{
    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(m => Sender.Tell(m));
    }

    [Fact]
    public async Task The_host_runs_an_actor_system_and_stopping_the_host_terminates_it()
    {
        await using var host = await TestAggregatorHost.StartAsync();
        var system = host.App.Services.GetRequiredService<ActorSystem>();
        var echo = system.ActorOf(Props.Create<Echo>());
        Assert.Equal("ping", await echo.Ask<string>("ping", TimeSpan.FromSeconds(5)));

        await host.App.StopAsync(TestContext.Timeout);

        Assert.True(system.WhenTerminated.IsCompleted);
        Assert.Equal(CoordinatedShutdown.Phases.InOrder, system.CoordinatedShutdown.CompletedPhases);
    }
}
