namespace Aggregator.Actors.Inspection.Warnings;

/// <summary>The rules inspection runs, in the order their warnings are listed (the most urgent first).</summary>
public static class WarningRules
{
    public static IReadOnlyList<IWarningRule> All { get; } =
        [new StuckActorRule(), new GrowingMailboxRule(), new HotActorRule(), new DeadLetterRule()];

    public static IReadOnlyList<InspectionWarning> Evaluate(InspectionWindow window, InspectionSettings settings) =>
        All.SelectMany(rule => rule.Evaluate(window, settings)).ToList();
}
