using Aggregator.Contracts;

namespace Aggregator.Actors.Entries;

/// <summary>
/// Asks an open entry what holds it open; answered with <see cref="EntryState"/>, or not at all if the id is not
/// open (the shard counts it as late or orphan like any other message). For operators and for tests, which use it
/// as a barrier: the answer comes after every message the same sender sent before.
/// </summary>
public sealed record GetEntryState(string EntryId) : IEntryMessage;

/// <summary>An open entry at a moment: its close-rule inputs (what it waits for, what would close it) and its counters so far.</summary>
public sealed record EntryState(
    string EntryId,
    string Operation,
    DateTimeOffset OpenedAt,
    bool OwnerReleased,
    bool ForceReleased,
    bool DeadlinePassed,
    IReadOnlyList<string> Pending,
    IReadOnlyList<string> FailedSlots,
    IReadOnlyDictionary<string, long> Counters);

/// <summary>
/// Asks the entry region about an id and always gets an answer: the entry's <see cref="EntryState"/> if it is open,
/// else <see cref="EntryNotOpen"/>. For the HTTP API, which must answer 404 at once rather than wait out a timeout.
/// </summary>
public sealed record FindEntry(string EntryId) : IEntryMessage;

/// <summary>The id is not open here: <paramref name="Ended"/> when it closed or was discarded recently (a tombstone is kept).</summary>
public sealed record EntryNotOpen(string EntryId, bool Ended);
