namespace Aggregator.Actors.Inspection.Warnings;

/// <summary>An actor whose current turn has run longer than <see cref="InspectionSettings.StuckTurnThreshold"/>: its mailbox is not being served.</summary>
public sealed class StuckActorRule : IWarningRule
{
    public IEnumerable<InspectionWarning> Evaluate(InspectionWindow window, InspectionSettings settings) =>
        window.Latest.Kernel.Actors
            .Where(a => a.InProgressFor > settings.StuckTurnThreshold)
            .OrderByDescending(a => a.InProgressFor)
            .Select(a => new InspectionWarning(
                WarningKinds.StuckActor,
                a.Path,
                $"{a.ActorType} has been in one turn for {Format.Seconds(a.InProgressFor!.Value)} (threshold {Format.Seconds(settings.StuckTurnThreshold)}); {a.MailboxDepth} messages wait."));
}
