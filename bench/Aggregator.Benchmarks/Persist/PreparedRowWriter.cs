using System.Data.Common;
using Aggregator.Contracts;
using Aggregator.Contracts.Json;

namespace Aggregator.Benchmarks.Persist;

/// <summary>
/// The single-row baseline's insert, the same for every database: the next sequence number and the entry's JSON go
/// into a prepared INSERT, one auto-committed statement per entry. Each store binds its own parameter types (Npgsql's
/// typed ones do not box), so only that step is left to it.
/// </summary>
internal abstract class PreparedRowWriter : ISingleRowWriter
{
    private readonly DbConnection connection;
    private long sequence;

    protected PreparedRowWriter(DbConnection connection) => this.connection = connection;

    /// <summary>The prepared INSERT … ON CONFLICT (entry_id) DO NOTHING; disposed with the writer.</summary>
    protected abstract DbCommand Command { get; }

    /// <summary>Sets the statement's parameters for one row (the persistence id is fixed per writer).</summary>
    protected abstract void Bind(long sequenceNr, ClosedEntry entry, string payload);

    public bool Insert(ClosedEntry entry)
    {
        Bind(++sequence, entry, ContractsJson.Serialize(entry));
        return Command.ExecuteNonQuery() == 1;
    }

    public void Dispose()
    {
        Command.Dispose();
        connection.Dispose();
    }
}
