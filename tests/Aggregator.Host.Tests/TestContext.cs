namespace Aggregator.Host.Tests;

/// <summary>One bound for every wait in these tests, so a hung host fails a test instead of hanging the run.</summary>
internal static class TestContext
{
    public static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
}
