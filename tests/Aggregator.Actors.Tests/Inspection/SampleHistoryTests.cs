using Aggregator.Actors.Inspection;
using static Aggregator.Actors.Tests.Inspection.Samples;

namespace Aggregator.Actors.Tests.Inspection;

public sealed class SampleHistoryTests
{
    private static readonly InspectionSettings Settings = new() { SampleInterval = TimeSpan.FromSeconds(2), Window = TimeSpan.FromSeconds(10) };

    [Fact]
    public void Without_samples_the_window_is_the_current_sample_alone()
    {
        var current = At(5);

        var window = new SampleHistory(Settings).WindowEndingWith(current);

        Assert.Same(current, window.Earlier);
        Assert.Equal(TimeSpan.Zero, window.Elapsed);
    }

    [Fact]
    public void The_window_reaches_back_to_the_newest_sample_at_least_a_window_old()
    {
        var history = new SampleHistory(Settings);
        for (var t = 0; t <= 30; t += 2) history.Add(At(t));

        var window = history.WindowEndingWith(At(31));

        Assert.Equal(TimeSpan.FromSeconds(20), window.Earlier.Uptime);
        Assert.Equal(TimeSpan.FromSeconds(11), window.Elapsed);
        Assert.Equal([26.0, 28, 30], window.Recent.Select(s => s.Uptime.TotalSeconds));
    }

    [Fact]
    public void History_keeps_only_what_a_window_and_a_trend_need()
    {
        var history = new SampleHistory(Settings);
        for (var t = 0; t <= 100; t += 2) history.Add(At(t));

        // 90 reaches back a whole window from 100, so 90..100: six samples.
        Assert.Equal(6, history.Count);
    }

    [Fact]
    public void A_young_history_windows_from_its_oldest_sample()
    {
        var history = new SampleHistory(Settings);
        history.Add(At(1));
        history.Add(At(3));

        var window = history.WindowEndingWith(At(4));

        Assert.Equal(TimeSpan.FromSeconds(3), window.Elapsed);
    }

    [Fact]
    public void Recorded_samples_keep_each_actor_s_counters_but_not_its_histograms()
    {
        var history = new SampleHistory(Settings);
        var actor = Actor("/user/a", busySeconds: 3, depth: 4) with
        {
            Processing = new Aggregator.Actors.Kernel.Instrumentation.HistogramSnapshot(Enumerable.Repeat(1L, 41).ToArray()),
        };
        history.Add(At(1, [actor]));

        var kept = Assert.Single(history.WindowEndingWith(At(2)).Recent).Kernel.Actors.Single();

        Assert.Equal(TimeSpan.FromSeconds(3), kept.BusyTime);
        Assert.Equal(4, kept.MailboxDepth);
        Assert.Equal(0, kept.Processing.Total);
    }

    [Fact]
    public void Invalid_settings_name_the_setting()
    {
        Assert.Contains("Window", Assert.Throws<ArgumentException>(() => (Settings with { Window = TimeSpan.FromSeconds(1) }).Validate()).Message);
        Assert.Contains("HotUtilization", Assert.Throws<ArgumentException>(() => (Settings with { HotUtilization = 1.5 }).Validate()).Message);
        Assert.Contains("GrowingMailboxSamples", Assert.Throws<ArgumentException>(() => (Settings with { GrowingMailboxSamples = 1 }).Validate()).Message);
        Assert.Contains("DefaultTop", Assert.Throws<ArgumentException>(() => (Settings with { DefaultTop = 0 }).Validate()).Message);
        new InspectionSettings().Validate();
    }
}
