namespace Aggregator.Contracts;

/// <summary>
/// Takes a named flush guard (or, with <paramref name="Force"/>, a force-flush guard). The sender holds it: if
/// the sender is an actor that stops before releasing, the entry releases the guard for it (DeathWatch).
/// Guards with the same name are counted, so several workers can each hold one.
/// </summary>
public sealed record AcquireGuard(string EntryId, string Guard, bool Force = false) : IEntryMessage;

/// <summary>Releases one holding of a named guard. Releasing a force guard closes the entry once the owner has released.</summary>
public sealed record ReleaseGuard(string EntryId, string Guard) : IEntryMessage;
