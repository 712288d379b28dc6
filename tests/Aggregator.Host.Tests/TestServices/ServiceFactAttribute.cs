namespace Aggregator.Host.Tests.TestServices;

/// <summary>
/// A test that needs a service ./scripts/test.sh provides: skipped, with the reason shown, when the
/// environment variable naming the service is not set (plain `dotnet test`, AGGREGATOR_TEST_SKIP_SERVICES=1).
/// </summary>
public sealed class ServiceFactAttribute : FactAttribute
{
    public ServiceFactAttribute(string environmentVariable)
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(environmentVariable)))
        {
            Skip = $"{environmentVariable} is not set; run ./scripts/test.sh to start the test services";
        }
    }
}
