namespace Aggregator.Actors.Inspection.Warnings;

/// <summary>One condition worth a warning, judged on a window of samples only (no clock, no side effects), so it is tested on made-up data.</summary>
public interface IWarningRule
{
    IEnumerable<InspectionWarning> Evaluate(InspectionWindow window, InspectionSettings settings);
}
