using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Aggregator.Actors.Persistence.Postgres;

/// <summary>
/// Where an entry page ended: the (closed_at, entry_id) of its last row, as stored (closed_at in PostgreSQL's
/// microseconds), so the next page starts strictly after it with a keyset seek instead of an OFFSET that would rescan
/// and shift under concurrent appends. Opaque to callers (base64url), versioned so its form can change.
/// </summary>
internal readonly record struct EntryCursor(DateTime ClosedAtUtc, string EntryId)
{
    private const string Version = "p1";

    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Version}|{ClosedAtUtc.Ticks.ToString(CultureInfo.InvariantCulture)}|{EntryId}"));

    /// <summary>Reads a cursor this store issued; anything else is the caller's mistake, reported as such.</summary>
    public static EntryCursor Decode(string cursor, string paramName)
    {
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException ex)
        {
            throw Invalid(cursor, paramName, ex);
        }
        var parts = text.Split('|', 3);
        if (parts.Length != 3 || parts[0] != Version
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTime.MaxValue.Ticks)
        {
            throw Invalid(cursor, paramName, null);
        }
        return new EntryCursor(new DateTime(ticks, DateTimeKind.Utc), parts[2]);
    }

    private static ArgumentException Invalid(string cursor, string paramName, Exception? inner) =>
        new($"postgres store: '{cursor}' is not an entry page cursor this store issued; pass a previous page's Next unchanged.", paramName, inner);
}
