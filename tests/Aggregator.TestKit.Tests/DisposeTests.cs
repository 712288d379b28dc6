using Aggregator.Actors.Kernel;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Aggregator.Testing.Tests;

/// <summary>The kit's own lifecycle: constructed and disposed by hand, as xunit would.</summary>
public sealed class DisposeTests
{
    private sealed class Kit(ITestOutputHelper? output = null, Func<ActorSystemSettings, ActorSystemSettings>? configure = null, TimeSpan? defaultTimeout = null)
        : TestKit(output, configure, defaultTimeout);

    private sealed class RecordingOutput : ITestOutputHelper
    {
        private readonly List<string> lines = [];

        public IReadOnlyList<string> Lines
        {
            get { lock (lines) return lines.ToArray(); }
        }

        public void WriteLine(string message)
        {
            lock (lines) lines.Add(message);
        }

        public void WriteLine(string format, params object[] args) => WriteLine(string.Format(format, args));
    }

    [Fact]
    public void Dispose_terminates_the_system()
    {
        var kit = new Kit();
        var system = kit.Sys;
        Assert.False(system.WhenTerminated.IsCompleted);

        kit.Dispose();

        Assert.True(system.WhenTerminated.IsCompletedSuccessfully);
    }

    [Fact]
    public void Dispose_stops_the_actors_running_their_PostStop()
    {
        var observer = new Kit();
        var kit = new Kit();
        var actor = kit.Sys.ActorOf(Props.Create(() => new StopReportingActor(observer.TestActor)), "worker");
        kit.AwaitStarted(actor);

        kit.Dispose();

        Assert.Equal(new StopReportingActor.Stopped("worker"), observer.ExpectMsg<StopReportingActor.Stopped>(TimeSpan.FromMilliseconds(100)));
        Assert.Equal(ShutdownReason.ActorSystemTerminate, kit.Sys.CoordinatedShutdown.Reason);
        observer.Dispose();
    }

    [Fact]
    public void Dispose_twice_is_harmless()
    {
        var kit = new Kit();
        kit.Dispose();
        kit.Dispose();
        Assert.True(kit.Sys.WhenTerminated.IsCompletedSuccessfully);
    }

    [Fact]
    public void Each_kit_gets_its_own_system_and_clock()
    {
        using var one = new Kit();
        using var two = new Kit();

        Assert.NotSame(one.Sys, two.Sys);
        Assert.NotSame(one.Clock, two.Clock);
        one.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.NotEqual(one.Clock.GetUtcNow(), two.Clock.GetUtcNow());
    }

    [Fact]
    public void Configure_adjusts_the_settings_keeping_the_virtual_clock()
    {
        using var kit = new Kit(configure: settings => settings with { Throughput = 7 });

        Assert.Equal(7, kit.Sys.Settings.Throughput);
        Assert.Same(kit.Clock, kit.Sys.TimeProvider);
        Assert.False(kit.Sys.Settings.RunCoordinatedShutdownOnExitSignals);
    }

    [Fact]
    public void The_default_timeout_applies_to_expectations()
    {
        using var kit = new Kit(defaultTimeout: TimeSpan.FromMilliseconds(100));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var error = Assert.Throws<XunitException>(() => kit.ExpectMsg<string>());

        Assert.Contains("within 100 ms", error.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"waited {watch.Elapsed}");
    }

    [Fact]
    public void The_default_timeout_is_three_seconds()
    {
        using var kit = new Kit();
        Assert.Equal(TimeSpan.FromSeconds(3), kit.DefaultTimeout);
    }

    [Fact]
    public void Kernel_logs_go_to_the_test_output_when_given()
    {
        var output = new RecordingOutput();
        using var kit = new Kit(output);
        var hole = kit.Sys.ActorOf(Props.Create<EchoActor>(), "stopped");
        kit.Watch(hole);
        kit.Sys.Stop(hole);
        kit.ExpectTerminated(hole);

        hole.Tell("lost", null); // a dead letter: the kernel logs it

        kit.AwaitCondition(() => output.Lines.Any(line => line.StartsWith("[INF] Dead letter", StringComparison.Ordinal) && line.Contains("user/stopped")),
            TimeSpan.FromSeconds(3),
            $"no dead-letter line in the output: [{string.Join(" | ", output.Lines)}]");
    }
}
