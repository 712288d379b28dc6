using Aggregator.Actors.Tests.Persistence;

namespace Aggregator.Actors.Tests.Sinks;

/// <summary>
/// The aggregate query scenarios over the real PostgreSQL store (a schema per test, dropped afterwards); skipped with
/// the reason when AGGREGATOR_TEST_POSTGRES is not set.
/// </summary>
[RequiresService(PostgresSinkFixture.EnvironmentVariable)]
public sealed class PostgresAggregateQueryScenarioTests : AggregateQueryScenarioTests
{
    private protected override ISinkFixture CreateFixture() => new PostgresSinkFixture();
}
