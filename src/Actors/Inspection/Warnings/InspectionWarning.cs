namespace Aggregator.Actors.Inspection.Warnings;

/// <summary>Something an operator should look at, found in the snapshots: what kind, about whom, and why, in one sentence.</summary>
public sealed record InspectionWarning(string Kind, string Subject, string Message);

/// <summary>The warning kinds, as they appear in JSON and in the CLI.</summary>
public static class WarningKinds
{
    public const string StuckActor = "stuck-actor";
    public const string GrowingMailbox = "growing-mailbox";
    public const string HotActor = "hot-actor";
    public const string DeadLetters = "dead-letters";
}
