using Aggregator.Contracts;

namespace Aggregator.Actors.Sinks;

/// <summary>
/// A page of entries as <see cref="SinkQueries.GetEntriesAsync"/> answers it: the entries, the cursor of the next page
/// (null on the last; opaque, pass it back as <c>EntryQuery.After</c>) and the journal rows the store could not read,
/// which were skipped instead of failing the page.
/// </summary>
public sealed record SinkEntryPage(IReadOnlyList<ClosedEntry> Entries, string? Next, IReadOnlyList<SkippedEntries> Skipped);

/// <summary>
/// Journal rows an entry query skipped: the store could not read a row closed in [<see cref="From"/>, <see cref="To"/>)
/// (a microsecond or less), so every row closed in that span was left out. <see cref="Reason"/> is the store's own
/// message, which names the row (persistence id and sequence number).
/// </summary>
public sealed record SkippedEntries(string Location, DateTimeOffset From, DateTimeOffset To, string Reason);
