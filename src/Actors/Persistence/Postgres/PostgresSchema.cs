using Npgsql;

namespace Aggregator.Actors.Persistence.Postgres;

/// <summary>
/// The store's tables, as an ordered list of migrations so a schema written by an older build is brought forward at
/// start and one written by a newer build is refused instead of misread. To change the schema, append a migration
/// with the next version; never edit one that has shipped. Text keys use the "C" collation so entry ids page in
/// ordinal order (as in SQLite) whatever the database's locale, and compare faster.
/// </summary>
internal static class PostgresSchema
{
    private static readonly SchemaMigration[] Migrations =
    [
        new(1, db => $"""
            CREATE TABLE {db.Journal} (
                persistence_id text COLLATE "C" NOT NULL,
                sequence_nr    bigint           NOT NULL,
                entry_id       text COLLATE "C" NOT NULL UNIQUE,
                operation      text COLLATE "C" NOT NULL,
                closed_at      timestamptz      NOT NULL,
                payload        text             NOT NULL, -- the closed entry as ContractsJson, byte for byte
                PRIMARY KEY (persistence_id, sequence_nr)
            );
            CREATE INDEX journal_by_operation_time ON {db.Journal} (operation, closed_at, entry_id);

            CREATE TABLE {db.Snapshots} (
                persistence_id     text COLLATE "C" NOT NULL PRIMARY KEY,
                covers_sequence_nr bigint           NOT NULL
            );

            CREATE TABLE {db.Aggregates} (
                persistence_id text COLLATE "C" NOT NULL,
                operation      text COLLATE "C" NOT NULL,
                dimensions_key text COLLATE "C" NOT NULL,
                window_start   timestamptz      NOT NULL,
                dimensions     jsonb            NOT NULL, -- object of dimension name to value
                state          bytea            NOT NULL, -- opaque to the store
                PRIMARY KEY (persistence_id, operation, dimensions_key, window_start)
            );
            CREATE INDEX aggregates_by_operation_window ON {db.Aggregates} (operation, window_start);
            """),
        // Version 2: the entry as EntryCodec bytes instead of JSON text (half the bytes per row and no text to build or
        // check); rows written before keep their payload and a NULL entry, and adding a nullable column rewrites
        // nothing. The entry query's index loses entry_id: (operation, closed_at) is a smaller key that every append
        // maintains for less, and the query still walks it in closed_at order (an incremental sort puts rows with the
        // same closed_at in entry_id order). Building it scans the journal once, inside the migration.
        new(2, db => $"""
            ALTER TABLE {db.Journal} ALTER COLUMN payload DROP NOT NULL;
            ALTER TABLE {db.Journal} ADD COLUMN entry bytea;
            DROP INDEX {db.QuotedSchema}.journal_by_operation_time;
            CREATE INDEX journal_by_operation_closed_at ON {db.Journal} (operation, closed_at);
            """),
    ];

    /// <summary>The version this build writes.</summary>
    public static int LatestVersion => Migrations[^1].Version;

    /// <summary>
    /// Brings the schema to <see cref="LatestVersion"/> in one transaction holding an advisory lock on the schema's
    /// name, so processes starting at once migrate it exactly once (the others wait, then find nothing to do), and a
    /// crash mid-migration leaves the previous version intact (PostgreSQL DDL is transactional). A schema already at the
    /// latest version runs no DDL at all, so a runtime role without CREATE rights can start against it.
    /// </summary>
    public static Task MigrateAsync(PostgresDatabase db, NpgsqlConnection connection, CancellationToken cancellationToken) =>
        MigrateAsync(db, connection, LatestVersion, cancellationToken);

    /// <summary>Brings the schema to <paramref name="targetVersion"/> (tests use it to build a schema as an older build left it).</summary>
    internal static async Task MigrateAsync(PostgresDatabase db, NpgsqlConnection connection, int targetVersion, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        await using (var lockSchema = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", connection, transaction))
        {
            lockSchema.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"aggregator.schema:{db.Schema}" });
            await lockSchema.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var current = await CurrentVersionAsync(db, connection, transaction, cancellationToken).ConfigureAwait(false);
        if (current > LatestVersion)
        {
            throw new InvalidOperationException(
                $"postgres store: schema {db.Schema} on {db.Host} has version {current}, newer than the {LatestVersion} this build knows; refusing to use it.");
        }
        if (current >= targetVersion) return; // disposing the transaction rolls back nothing but the lock

        await ExecuteAsync(connection, transaction, $"""
            CREATE SCHEMA IF NOT EXISTS {db.QuotedSchema};
            CREATE TABLE IF NOT EXISTS {db.SchemaVersion} (
                version    integer     NOT NULL PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now()
            );
            """, cancellationToken).ConfigureAwait(false);
        foreach (var migration in Migrations)
        {
            if (migration.Version <= current || migration.Version > targetVersion) continue;
            await ExecuteAsync(connection, transaction, migration.Sql(db), cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, $"INSERT INTO {db.SchemaVersion} (version) VALUES ({migration.Version})", cancellationToken)
                .ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>0 when the schema or its version table does not exist yet (looked up in the catalog, so nothing fails).</summary>
    private static async Task<int> CurrentVersionAsync(PostgresDatabase db, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection, transaction))
        {
            exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = db.SchemaVersion });
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!) return 0;
        }
        await using var read = new NpgsqlCommand($"SELECT COALESCE(MAX(version), 0) FROM {db.SchemaVersion}", connection, transaction);
        return Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private sealed record SchemaMigration(int Version, Func<PostgresDatabase, string> Sql);
}
