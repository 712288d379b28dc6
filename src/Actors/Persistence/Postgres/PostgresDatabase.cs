using System.Text.RegularExpressions;
using Npgsql;

namespace Aggregator.Actors.Persistence.Postgres;

/// <summary>
/// One PostgreSQL database and the schema the store keeps its tables in: how connections are made, the quoted table
/// names every statement uses, and how places and failures are named for operators. The schema is a parameter so
/// tests (and several deployments sharing a database) stay apart.
/// </summary>
internal sealed partial class PostgresDatabase : IAsyncDisposable
{
    public PostgresDatabase(string connectionString, string schema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(schema);
        if (!SchemaNamePattern().IsMatch(schema))
        {
            throw new ArgumentException(
                $"postgres store: schema name '{schema}' is not accepted; use 1-63 lower-case letters, digits or '_', starting with a letter or '_'.",
                nameof(schema));
        }
        Schema = schema;
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // The append path keeps a temporary staging table per session (see JournalAppend). Npgsql's reset on return
            // to the pool would drop it (DISCARD TEMP) and the next append would create it again: catalog churn on every
            // batch. Nothing else the store leaves in a session needs resetting.
            NoResetOnClose = true,
            // Binary COPY and the session's staging table need a connection of their own for the whole transaction.
            Multiplexing = false,
        };
        if (string.IsNullOrEmpty(builder.ApplicationName)) builder.ApplicationName = "aggregator";
        Host = $"{builder.Host}:{builder.Port}/{builder.Database}";
        DataSource = NpgsqlDataSource.Create(builder);
    }

    /// <summary>The schema every table lives in (validated, so it is safe to splice into statements).</summary>
    public string Schema { get; }

    /// <summary>Where the server is, for error messages (never the password).</summary>
    public string Host { get; }

    public NpgsqlDataSource DataSource { get; }

    public string Journal => $"\"{Schema}\".journal";

    public string Snapshots => $"\"{Schema}\".snapshots";

    public string Aggregates => $"\"{Schema}\".aggregates";

    public string SchemaVersion => $"\"{Schema}\".schema_version";

    public string QuotedSchema => $"\"{Schema}\"";

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) =>
        await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Where a journal row lives, as an operator would look for it: <c>postgres:&lt;schema&gt;.journal(persistence_id=sink-3,sequence_nr=42)</c>.</summary>
    public string JournalLocation(string persistenceId, long sequenceNr) =>
        $"postgres:{Schema}.journal(persistence_id={persistenceId},sequence_nr={sequenceNr})";

    /// <summary>
    /// A driver failure with what the store was doing, for which shard and on which server, so the log line alone says
    /// where to look; the driver's exception stays inside.
    /// </summary>
    public PostgresSinkStoreException Failure(string operation, string? persistenceId, NpgsqlException inner)
    {
        var subject = persistenceId is null ? "" : $" for {persistenceId}";
        return new PostgresSinkStoreException($"postgres store: {operation}{subject} failed on {Host} (schema {Schema}): {inner.Message}", inner);
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaNamePattern();
}
