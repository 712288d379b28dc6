using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Aggregator.Actors.Persistence.Sqlite;

/// <summary>
/// Where a page of entries stopped: the (closed_at, entry_id) of its last entry, the keyset the next page starts
/// after. Encoded base64url so callers pass it back verbatim and never build one; the format is the store's business.
/// </summary>
internal readonly record struct EntryCursor(long ClosedAtTicks, string EntryId)
{
    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{ClosedAtTicks.ToString(CultureInfo.InvariantCulture)}:{EntryId}"));

    /// <exception cref="ArgumentException">The text is not a cursor this store handed out.</exception>
    public static EntryCursor Decode(string cursor, string parameterName)
    {
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException ex)
        {
            throw new ArgumentException($"Not a cursor from a previous page: \"{cursor}\". Pass EntryPage.Next unchanged.", parameterName, ex);
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
        {
            throw new ArgumentException($"Not a cursor from a previous page: \"{cursor}\". Pass EntryPage.Next unchanged.", parameterName);
        }
        return new EntryCursor(ticks, text[(colon + 1)..]);
    }
}
