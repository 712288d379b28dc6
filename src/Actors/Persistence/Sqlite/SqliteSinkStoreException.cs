using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Aggregator.Actors.Persistence.Sqlite;

/// <summary>
/// A SQLite failure named by store operation and persistence id, the driver's exception inside. A
/// <see cref="DbException"/> so retry policies can treat both stores' failures alike, and
/// <see cref="IsTransient"/> says whether waiting and retrying can help (the file was locked or busy).
/// </summary>
public sealed class SqliteSinkStoreException : DbException
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    public SqliteSinkStoreException(string message, SqliteException inner)
        : base(message, inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        SqliteErrorCode = inner.SqliteErrorCode;
    }

    /// <summary>The primary SQLite result code (e.g. 5 for SQLITE_BUSY, 19 for SQLITE_CONSTRAINT).</summary>
    public int SqliteErrorCode { get; }

    public override bool IsTransient => SqliteErrorCode is SqliteBusy or SqliteLocked;
}
