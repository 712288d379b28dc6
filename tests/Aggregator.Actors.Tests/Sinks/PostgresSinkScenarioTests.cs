using Aggregator.Actors.Tests.Persistence;

namespace Aggregator.Actors.Tests.Sinks;

/// <summary>
/// The sink scenarios over the real PostgreSQL store (a schema per test, dropped afterwards); skipped with the reason
/// when AGGREGATOR_TEST_POSTGRES is not set.
/// </summary>
[RequiresService(PostgresSinkFixture.EnvironmentVariable)]
public sealed class PostgresSinkScenarioTests : SinkScenarioTests
{
    private protected override ISinkFixture CreateFixture() => new PostgresSinkFixture();
}
