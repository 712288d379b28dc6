using Aggregator.Actors.Inspection;
using Aggregator.Actors.Inspection.Warnings;
using static Aggregator.Actors.Tests.Inspection.Samples;

namespace Aggregator.Actors.Tests.Inspection;

public sealed class WarningRuleTests
{
    private static readonly InspectionSettings Settings = new();

    [Fact]
    public void An_actor_busy_90_percent_of_the_window_is_hot_and_one_at_80_is_not()
    {
        var window = Window(
            At(100, [Actor("/user/hot", busySeconds: 50), Actor("/user/warm", busySeconds: 50)]),
            At(110, [Actor("/user/hot", busySeconds: 59, messages: 1000), Actor("/user/warm", busySeconds: 58)]));

        var warning = Assert.Single(new HotActorRule().Evaluate(window, Settings));

        Assert.Equal(WarningKinds.HotActor, warning.Kind);
        Assert.Equal("/user/hot", warning.Subject);
        Assert.Contains("90 %", warning.Message);
        Assert.Contains("10.0 s", warning.Message);
    }

    [Fact]
    public void An_actor_started_inside_the_window_is_measured_from_zero()
    {
        var window = Window(At(100), At(110, [Actor("/user/new", busySeconds: 9.5)]));

        Assert.Equal("/user/new", Assert.Single(new HotActorRule().Evaluate(window, Settings)).Subject);
    }

    [Fact]
    public void Busy_time_since_start_does_not_make_an_actor_hot_when_it_idled_through_the_window()
    {
        var window = Window(At(100, [Actor("/user/was-busy", busySeconds: 99)]), At(110, [Actor("/user/was-busy", busySeconds: 99)]));

        Assert.Empty(new HotActorRule().Evaluate(window, Settings));
    }

    [Fact]
    public void A_window_of_one_sample_has_no_hot_actor()
    {
        Assert.Empty(new HotActorRule().Evaluate(InspectionWindow.Of(At(10, [Actor("/user/a", busySeconds: 10)])), Settings));
    }

    [Fact]
    public void A_mailbox_rising_in_every_recent_sample_is_growing()
    {
        var samples = new[]
        {
            At(2, [Actor("/user/slow", depth: 12), Actor("/user/flat", depth: 50), Actor("/user/small", depth: 1)]),
            At(4, [Actor("/user/slow", depth: 40), Actor("/user/flat", depth: 50), Actor("/user/small", depth: 2)]),
            At(6, [Actor("/user/slow", depth: 95), Actor("/user/flat", depth: 50), Actor("/user/small", depth: 3)]),
        };
        var window = new InspectionWindow(samples[0], samples[^1], samples);

        var warning = Assert.Single(new GrowingMailboxRule().Evaluate(window, Settings));

        Assert.Equal(WarningKinds.GrowingMailbox, warning.Kind);
        Assert.Equal("/user/slow", warning.Subject);
        Assert.Contains("12 → 40 → 95", warning.Message);
    }

    [Fact]
    public void A_mailbox_that_dipped_once_or_is_missing_from_a_sample_is_not_growing()
    {
        var samples = new[]
        {
            At(2, [Actor("/user/dipped", depth: 30)]),
            At(4, [Actor("/user/dipped", depth: 20), Actor("/user/late", depth: 20)]),
            At(6, [Actor("/user/dipped", depth: 90), Actor("/user/late", depth: 40)]),
        };

        Assert.Empty(new GrowingMailboxRule().Evaluate(new InspectionWindow(samples[0], samples[^1], samples), Settings));
    }

    [Fact]
    public void Too_few_samples_say_nothing_about_growth()
    {
        var samples = new[] { At(2, [Actor("/user/a", depth: 20)]), At(4, [Actor("/user/a", depth: 40)]) };

        Assert.Empty(new GrowingMailboxRule().Evaluate(new InspectionWindow(samples[0], samples[^1], samples), Settings));
    }

    [Fact]
    public void A_turn_running_past_the_threshold_is_a_stuck_actor()
    {
        var latest = At(30, [Actor("/user/stuck", turnRunningSeconds: 12, depth: 7), Actor("/user/busy", turnRunningSeconds: 0.5)]);

        var warning = Assert.Single(new StuckActorRule().Evaluate(InspectionWindow.Of(latest), Settings));

        Assert.Equal(WarningKinds.StuckActor, warning.Kind);
        Assert.Equal("/user/stuck", warning.Subject);
        Assert.Contains("12.0 s", warning.Message);
        Assert.Contains("7 messages wait", warning.Message);
    }

    [Fact]
    public void The_stuck_threshold_is_a_setting()
    {
        var latest = At(30, [Actor("/user/busy", turnRunningSeconds: 0.5)]);

        Assert.Single(new StuckActorRule().Evaluate(InspectionWindow.Of(latest), Settings with { StuckTurnThreshold = TimeSpan.FromMilliseconds(100) }));
    }

    [Fact]
    public void Dead_letters_in_the_window_are_counted_with_the_types_they_were_for()
    {
        var window = Window(
            At(100, types: [Type("EntryActor", deadLetters: 5), Type("SlotActor", deadLetters: 1)], deadLetters: 6),
            At(110, types: [Type("EntryActor", deadLetters: 12), Type("SlotActor", deadLetters: 1)], deadLetters: 13));

        var warning = Assert.Single(new DeadLetterRule().Evaluate(window, Settings));

        Assert.Equal(WarningKinds.DeadLetters, warning.Kind);
        Assert.Contains("7 dead letters in the last 10.0 s", warning.Message);
        Assert.Contains("EntryActor 7", warning.Message);
        Assert.DoesNotContain("SlotActor", warning.Message);
    }

    [Fact]
    public void Dead_letters_before_the_window_are_not_warned_about()
    {
        var window = Window(At(100, deadLetters: 6), At(110, deadLetters: 6));

        Assert.Empty(new DeadLetterRule().Evaluate(window, Settings));
    }

    [Fact]
    public void All_rules_run_together_most_urgent_first()
    {
        var samples = new[]
        {
            At(100, [Actor("/user/a", depth: 20, busySeconds: 0)], deadLetters: 0),
            At(105, [Actor("/user/a", depth: 40, busySeconds: 4)], deadLetters: 0),
            At(110, [Actor("/user/a", depth: 80, busySeconds: 10, turnRunningSeconds: 6)], deadLetters: 2),
        };

        var kinds = WarningRules.Evaluate(new InspectionWindow(samples[0], samples[^1], samples), Settings).Select(w => w.Kind);

        Assert.Equal([WarningKinds.StuckActor, WarningKinds.GrowingMailbox, WarningKinds.HotActor, WarningKinds.DeadLetters], kinds);
    }
}
