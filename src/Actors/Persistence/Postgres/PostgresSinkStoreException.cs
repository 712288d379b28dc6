using System.Data.Common;
using Npgsql;

namespace Aggregator.Actors.Persistence.Postgres;

/// <summary>
/// A PostgreSQL failure named by store operation and persistence id, the driver's exception inside. A
/// <see cref="DbException"/> so the sink shard's retry policy treats both stores' failures alike, and
/// <see cref="IsTransient"/> says whether waiting and retrying can help (the server is down, restarting, overloaded,
/// or the transaction lost a serialization race): the store never retries on its own.
/// </summary>
public sealed class PostgresSinkStoreException : DbException
{
    public PostgresSinkStoreException(string message, NpgsqlException inner)
        : base(message, inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        SqlState = (inner as PostgresException)?.SqlState;
        IsTransient = inner.IsTransient || IsTransientState(SqlState);
    }

    /// <summary>The server's SQLSTATE (e.g. 57P01 admin shutdown, 23505 unique violation); null when the server never answered.</summary>
    public override string? SqlState { get; }

    public override bool IsTransient { get; }

    /// <summary>
    /// States Npgsql does not already call transient but that clear up once the server is back: it is shutting down
    /// or starting (57P01..57P03), or the connection broke mid-statement (class 08).
    /// </summary>
    private static bool IsTransientState(string? sqlState) =>
        sqlState is "57P01" or "57P02" or "57P03" || (sqlState?.StartsWith("08", StringComparison.Ordinal) ?? false);
}
