using Microsoft.Data.Sqlite;

namespace Aggregator.Actors.Persistence.Sqlite;

/// <summary>
/// The store's tables, as an ordered list of migrations so a file written by an older build is brought forward at
/// start and a file written by a newer build is refused instead of misread. To change the schema, append a migration
/// with the next version; never edit one that has shipped.
/// </summary>
internal static class SqliteSchema
{
    private static readonly SchemaMigration[] Migrations =
    [
        new(1, """
            CREATE TABLE journal (
                persistence_id TEXT    NOT NULL,
                sequence_nr    INTEGER NOT NULL,
                entry_id       TEXT    NOT NULL UNIQUE,
                operation      TEXT    NOT NULL,
                closed_at      INTEGER NOT NULL, -- UTC ticks (100 ns since 0001-01-01)
                payload        TEXT    NOT NULL, -- the closed entry as ContractsJson
                PRIMARY KEY (persistence_id, sequence_nr)
            );
            CREATE INDEX journal_by_operation_time ON journal (operation, closed_at, entry_id);

            CREATE TABLE snapshots (
                persistence_id     TEXT    NOT NULL PRIMARY KEY,
                covers_sequence_nr INTEGER NOT NULL
            );

            CREATE TABLE aggregates (
                persistence_id TEXT    NOT NULL,
                operation      TEXT    NOT NULL,
                dimensions_key TEXT    NOT NULL,
                window_start   INTEGER NOT NULL, -- UTC ticks
                dimensions     TEXT    NOT NULL, -- JSON object of dimension name to value
                state          BLOB    NOT NULL, -- opaque to the store
                PRIMARY KEY (persistence_id, operation, dimensions_key, window_start)
            );
            CREATE INDEX aggregates_by_operation_window ON aggregates (operation, window_start);
            """),
        // Version 2 writes journal payloads as EntryCodec blobs (the TEXT column keeps a blob as it is; rows written
        // before stay JSON text and are still read). No table changes, but the version must move: a build that knows
        // only version 1 would take the blobs for corrupt JSON, so it has to refuse the file instead.
        new(2, "SELECT 1"),
    ];

    /// <summary>The version this build writes.</summary>
    public static int LatestVersion => Migrations[^1].Version;

    /// <summary>
    /// Brings the file to <see cref="LatestVersion"/> in one IMMEDIATE transaction, so two processes starting on the
    /// same file at once migrate it once, and a crash mid-migration leaves the previous version intact.
    /// </summary>
    public static void Migrate(SqliteConnection connection) => Migrate(connection, LatestVersion);

    /// <summary>Brings the file to <paramref name="targetVersion"/> (tests use it to build a file as an older build left it).</summary>
    internal static void Migrate(SqliteConnection connection, int targetVersion)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        var current = Convert.ToInt32(Scalar(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_version"));
        if (current > LatestVersion)
        {
            throw new InvalidOperationException(
                $"sqlite store: {connection.DataSource} has schema version {current}, newer than the {LatestVersion} this build knows; refusing to open it.");
        }
        foreach (var migration in Migrations)
        {
            if (migration.Version <= current || migration.Version > targetVersion) continue;
            Execute(connection, transaction, migration.Sql);
            current = migration.Version;
        }
        Execute(connection, transaction, "DELETE FROM schema_version");
        using (var record = Command(connection, transaction, "INSERT INTO schema_version (version) VALUES ($version)"))
        {
            record.Parameters.AddWithValue("$version", current);
            record.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = Command(connection, transaction, sql);
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = Command(connection, transaction, sql);
        return command.ExecuteScalar();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private sealed record SchemaMigration(int Version, string Sql);
}
