namespace Aggregator.Actors.Tests.Sinks;

/// <summary>The aggregate query scenarios over a real SQLite file in a temporary directory.</summary>
public sealed class SqliteAggregateQueryScenarioTests : AggregateQueryScenarioTests
{
    private protected override ISinkFixture CreateFixture() => new SqliteSinkFixture();
}
