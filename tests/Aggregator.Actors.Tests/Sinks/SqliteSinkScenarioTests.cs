namespace Aggregator.Actors.Tests.Sinks;

/// <summary>The sink scenarios over a real SQLite file in a temporary directory.</summary>
public sealed class SqliteSinkScenarioTests : SinkScenarioTests
{
    private protected override ISinkFixture CreateFixture() => new SqliteSinkFixture();
}
