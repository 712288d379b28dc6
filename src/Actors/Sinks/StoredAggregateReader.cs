using System.Text.Json;
using Aggregator.Actors.Persistence;
using Aggregator.Actors.Sinks.Aggregates;

namespace Aggregator.Actors.Sinks;

/// <summary>
/// Reads the stored aggregate rows of an operation so that one unreadable row does not fail the whole query. A store
/// fails a read that meets a row it cannot read (damaged dimensions: <see cref="InvalidDataException"/> naming the row,
/// or <see cref="JsonException"/>); the range is then halved at window boundaries and read again, down to single
/// windows, so only the windows holding such a row are left out, each reported with the store's reason. The store's
/// read has no way to skip one row of a window, so the other rows of that window are left out with it (and say so).
/// Costs one extra read per halving, only when a row is damaged.
/// </summary>
internal sealed class StoredAggregateReader(ISinkStore store, TimeSpan window)
{
    private readonly AggregateWindow windows = new(window);

    public async Task<(List<AggregateRow> Rows, List<CorruptAggregate> Skipped)> ReadAsync(string operation, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var rows = new List<AggregateRow>();
        var skipped = new List<CorruptAggregate>();
        await ReadAsync(operation, from, to, rows, skipped, cancellationToken).ConfigureAwait(false);
        return (rows, skipped);
    }

    private async Task ReadAsync(string operation, DateTimeOffset from, DateTimeOffset to, List<AggregateRow> rows, List<CorruptAggregate> skipped, CancellationToken cancellationToken)
    {
        try
        {
            rows.AddRange(await store.GetAggregatesAsync(operation, from, to, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception unreadable) when (unreadable is InvalidDataException or JsonException)
        {
            if (Middle(from, to) is { } middle)
            {
                await ReadAsync(operation, from, middle, rows, skipped, cancellationToken).ConfigureAwait(false);
                await ReadAsync(operation, middle, to, rows, skipped, cancellationToken).ConfigureAwait(false);
                return;
            }
            var windowStart = FirstStart(from) is var first && first < to.UtcTicks ? new DateTimeOffset(first, TimeSpan.Zero) : from;
            skipped.Add(new CorruptAggregate("*", new AggregateKey(operation, "*", windowStart),
                $"the store could not read a row of this window, so every stored row of it was skipped: {unreadable.Message}")
            {
                Location = $"{store.Name}:aggregates(operation={operation},window_start>={from:O},window_start<{to:O})",
            });
        }
    }

    /// <summary>A window boundary splitting [from, to) into two ranges that both hold a window start, or null if it holds at most one.</summary>
    private DateTimeOffset? Middle(DateTimeOffset from, DateTimeOffset to)
    {
        var length = windows.Length.Ticks;
        var first = FirstStart(from);
        if (to.UtcTicks - first <= length) return null;
        var starts = (to.UtcTicks - first - 1) / length + 1;
        return new DateTimeOffset(first + starts / 2 * length, TimeSpan.Zero);
    }

    /// <summary>
    /// The ticks of the first window start at or after <paramref name="from"/>, in plain arithmetic: it may lie past
    /// <see cref="DateTimeOffset.MaxValue"/>, and <see cref="AggregateWindow.StartOf"/> of an instant near
    /// <see cref="DateTimeOffset.MinValue"/> would lie before it.
    /// </summary>
    private long FirstStart(DateTimeOffset from)
    {
        var length = windows.Length.Ticks;
        var offset = (from.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) % length;
        if (offset < 0) offset += length;
        return offset == 0 ? from.UtcTicks : from.UtcTicks - offset + length;
    }
}
