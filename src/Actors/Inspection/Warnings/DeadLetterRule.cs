namespace Aggregator.Actors.Inspection.Warnings;

/// <summary>Messages that reached the dead-letter office during the window: something still talks to actors that are gone.</summary>
public sealed class DeadLetterRule : IWarningRule
{
    public IEnumerable<InspectionWarning> Evaluate(InspectionWindow window, InspectionSettings settings)
    {
        var count = window.Latest.Kernel.DeadLetters - window.Earlier.Kernel.DeadLetters;
        if (count <= 0 || ReferenceEquals(window.Latest, window.Earlier)) yield break;
        var before = window.Earlier.Kernel.Types.ToDictionary(t => t.ActorType, t => t.DeadLetters, StringComparer.Ordinal);
        var byType = window.Latest.Kernel.Types
            .Select(t => (t.ActorType, Count: t.DeadLetters - before.GetValueOrDefault(t.ActorType)))
            .Where(t => t.Count > 0)
            .OrderByDescending(t => t.Count)
            .Take(3)
            .Select(t => $"{t.ActorType} {t.Count}")
            .ToList();
        var detail = byType.Count == 0 ? "" : $" (to {string.Join(", ", byType)})";
        yield return new InspectionWarning(
            WarningKinds.DeadLetters,
            "dead-letters",
            $"{count} dead letters in the last {Format.Seconds(window.Elapsed)}{detail}.");
    }
}
