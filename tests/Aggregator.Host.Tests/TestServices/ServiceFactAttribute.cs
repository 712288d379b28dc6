namespace Aggregator.Host.Tests.TestServices;

/// <summary>
/// A test that needs services ./scripts/test.sh provides: skipped, with the reason shown, when an environment
/// variable naming one of them is not set (plain `dotnet test`, AGGREGATOR_TEST_SKIP_SERVICES=1).
/// </summary>
public sealed class ServiceFactAttribute : FactAttribute
{
    public ServiceFactAttribute(params string[] environmentVariables)
    {
        var missing = environmentVariables.Where(v => string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(v))).ToList();
        if (missing.Count > 0)
        {
            Skip = $"{string.Join(" and ", missing)} {(missing.Count == 1 ? "is" : "are")} not set; run ./scripts/test.sh to start the test services";
        }
    }
}
