using System.Data.Common;
using Aggregator.Actors.Persistence;
using Aggregator.Actors.Persistence.Postgres;
using Aggregator.Contracts;
using Npgsql;
using NpgsqlTypes;

namespace Aggregator.Benchmarks.Persist;

/// <summary>
/// PostgreSQL at the connection string the run was given: a fresh schema per sink store and one for the baseline
/// (named after the process, so concurrent runs never meet), all dropped when disposed. The baseline's table is the
/// journal's exact definition (src/Actors/Persistence/Postgres/PostgresSchema.cs, migration 1).
/// </summary>
internal sealed class PostgresTarget : IPersistTarget
{
    private readonly string connectionString;
    private readonly NpgsqlDataSource admin;
    private readonly string prefix = $"bench_persist_{Environment.ProcessId}_{Random.Shared.Next(1000):000}_";
    private readonly List<string> schemas = [];

    public PostgresTarget(string connectionString)
    {
        this.connectionString = connectionString;
        admin = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "aggregator-bench" });
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Where = $"{builder.Host}:{builder.Port}/{builder.Database}, schemas {prefix}*";
    }

    public string Name => "postgres";

    public string Where { get; }

    public async Task<ISinkStore> CreateStoreAsync(string label)
    {
        var schema = Track(label);
        var store = new PostgresSinkStore(connectionString, schema);
        await store.InitializeAsync().ConfigureAwait(false);
        return store;
    }

    public async Task<long> CountJournalAsync(string label)
    {
        await using var count = admin.CreateCommand($"SELECT COUNT(*) FROM \"{prefix}{label}\".journal");
        return (long)(await count.ExecuteScalarAsync().ConfigureAwait(false))!;
    }

    public async Task<ISingleRowInsertTable> CreateBaselineAsync()
    {
        var schema = Track("baseline");
        await using (var create = admin.CreateCommand($"""
            CREATE SCHEMA "{schema}";
            CREATE TABLE "{schema}".journal (
                persistence_id text COLLATE "C" NOT NULL,
                sequence_nr    bigint           NOT NULL,
                entry_id       text COLLATE "C" NOT NULL UNIQUE,
                operation      text COLLATE "C" NOT NULL,
                closed_at      timestamptz      NOT NULL,
                payload        text             NOT NULL,
                PRIMARY KEY (persistence_id, sequence_nr)
            );
            CREATE INDEX ON "{schema}".journal (operation, closed_at, entry_id);
            """))
        {
            await create.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        return new Table(admin, schema);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var schema in schemas)
        {
            try
            {
                await using var drop = admin.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
                await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
            catch (NpgsqlException exception)
            {
                Console.WriteLine($"(could not drop schema {schema}: {exception.Message})");
            }
        }
        await admin.DisposeAsync().ConfigureAwait(false);
    }

    private string Track(string label)
    {
        var schema = prefix + label;
        schemas.Add(schema);
        return schema;
    }

    private sealed class Table(NpgsqlDataSource source, string schema) : ISingleRowInsertTable
    {
        public string Describe => "one INSERT … ON CONFLICT (entry_id) DO NOTHING per entry, auto-commit, prepared, one connection per thread";

        public ISingleRowWriter OpenWriter(int producer) => new Writer(source.OpenConnection(), schema, producer);

        public async Task<long> CountAsync()
        {
            await using var count = source.CreateCommand($"SELECT COUNT(*) FROM \"{schema}\".journal");
            return (long)(await count.ExecuteScalarAsync().ConfigureAwait(false))!;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class Writer : PreparedRowWriter
    {
        private readonly NpgsqlCommand insert;
        private readonly NpgsqlParameter<long> sequenceNr = new() { NpgsqlDbType = NpgsqlDbType.Bigint };
        private readonly NpgsqlParameter<string> entryId = new() { NpgsqlDbType = NpgsqlDbType.Text };
        private readonly NpgsqlParameter<string> operation = new() { NpgsqlDbType = NpgsqlDbType.Text };
        private readonly NpgsqlParameter<DateTime> closedAt = new() { NpgsqlDbType = NpgsqlDbType.TimestampTz };
        private readonly NpgsqlParameter<string> payload = new() { NpgsqlDbType = NpgsqlDbType.Text };

        public Writer(NpgsqlConnection connection, string schema, int producer) : base(connection)
        {
            insert = new NpgsqlCommand($"""
                INSERT INTO "{schema}".journal (persistence_id, sequence_nr, entry_id, operation, closed_at, payload)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (entry_id) DO NOTHING
                """, connection);
            insert.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = $"baseline-{producer}-{Guid.NewGuid():N}" });
            insert.Parameters.Add(sequenceNr);
            insert.Parameters.Add(entryId);
            insert.Parameters.Add(operation);
            insert.Parameters.Add(closedAt);
            insert.Parameters.Add(payload);
            insert.Prepare();
        }

        protected override DbCommand Command => insert;

        protected override void Bind(long sequenceNr, ClosedEntry entry, string payload)
        {
            this.sequenceNr.TypedValue = sequenceNr;
            entryId.TypedValue = entry.Id;
            operation.TypedValue = entry.Operation;
            closedAt.TypedValue = entry.ClosedAt.UtcDateTime;
            this.payload.TypedValue = payload;
        }
    }
}
