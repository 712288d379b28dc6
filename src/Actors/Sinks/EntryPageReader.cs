using System.Globalization;
using Aggregator.Actors.Persistence;
using Aggregator.Contracts;

namespace Aggregator.Actors.Sinks;

/// <summary>
/// Pages through a store's entries so that an unreadable journal row costs the page that row only, not the whole
/// page. A store fails a page holding a row it cannot read (<see cref="InvalidDataException"/> naming the row); the
/// end of the range is then halved until the row's close time is pinned to a microsecond (the stores' common
/// precision), the readable entries before it are returned, the span is reported as skipped, and the page goes on
/// after it. About 40 extra reads per damaged row, only when there is one.
/// </summary>
/// <remarks>
/// The page may have to end right before a damaged row, where the store gives no cursor; the next page then starts at
/// that instant with a cursor of this class's own (<c>~</c> and the UTC ticks, a character base64url store cursors
/// never use), still opaque to callers.
/// </remarks>
internal sealed class EntryPageReader(ISinkStore store)
{
    private const char ResumeMark = '~';
    private const long Microsecond = 10;

    public async Task<SinkEntryPage> ReadAsync(EntryQuery query, CancellationToken cancellationToken)
    {
        if (query.After is [ResumeMark, .. var ticks])
        {
            var resume = new DateTimeOffset(long.Parse(ticks, NumberStyles.None, CultureInfo.InvariantCulture), TimeSpan.Zero);
            query = query with { From = resume > query.From ? resume : query.From, After = null };
        }
        var skipped = new List<SkippedEntries>();
        var (entries, next) = await ReadAsync(query, skipped, cancellationToken).ConfigureAwait(false);
        return new SinkEntryPage(entries, next, skipped);
    }

    private async Task<(IReadOnlyList<ClosedEntry> Entries, string? Next)> ReadAsync(EntryQuery query, List<SkippedEntries> skipped, CancellationToken cancellationToken)
    {
        if (query.To <= query.From) return ([], null);
        InvalidDataException unreadable;
        try
        {
            var page = await store.GetEntriesAsync(query, cancellationToken).ConfigureAwait(false);
            return (page.Entries, page.Next);
        }
        catch (InvalidDataException e)
        {
            unreadable = e;
        }

        // A page ending earlier only loses rows at its end, so "fails" is monotonic in the end of the range: bisect it.
        long readable = query.From.UtcTicks, failing = query.To.UtcTicks;
        while (failing - readable > Microsecond)
        {
            var middle = (readable + failing) / 2 / Microsecond * Microsecond;
            if (middle <= readable) break;
            try
            {
                await store.GetEntriesAsync(query with { To = At(middle) }, cancellationToken).ConfigureAwait(false);
                readable = middle;
            }
            catch (InvalidDataException e)
            {
                unreadable = e;
                failing = middle;
            }
        }
        skipped.Add(new SkippedEntries($"{store.Name}:journal(operation={query.Operation},closed_at>={At(readable):O},closed_at<{At(failing):O})", At(readable), At(failing), unreadable.Message));

        var before = await store.GetEntriesAsync(query with { To = At(readable) }, cancellationToken).ConfigureAwait(false);
        if (before.Entries.Count == query.Limit)
            return (before.Entries, before.Next ?? ResumeMark + failing.ToString(CultureInfo.InvariantCulture));
        var rest = await ReadAsync(query with { From = At(failing), After = null, Limit = query.Limit - before.Entries.Count }, skipped, cancellationToken).ConfigureAwait(false);
        return ([.. before.Entries, .. rest.Entries], rest.Next);
    }

    private static DateTimeOffset At(long ticks) => new(ticks, TimeSpan.Zero);
}
