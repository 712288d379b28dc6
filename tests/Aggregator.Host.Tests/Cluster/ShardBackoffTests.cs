using Aggregator.Host.Cluster;

namespace Aggregator.Host.Tests.Cluster;

public sealed class ShardBackoffTests
{
    [Fact]
    public void Delays_double_with_jitter_up_to_the_cap()
    {
        var backoff = new ShardBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var full = Math.Min(100 * Math.Pow(2, Math.Min(attempt, 30)), 2000);
            for (var draw = 0; draw < 50; draw++)
            {
                var delay = backoff.Delay(attempt).TotalMilliseconds;
                Assert.InRange(delay, full / 2, full);
            }
        }
    }

    [Fact]
    public void Jitter_spreads_the_pods_of_a_rolling_restart()
    {
        var delays = Enumerable.Range(0, 100).Select(_ => ShardBackoff.Default.Delay(3)).Distinct().Count();
        Assert.True(delays > 50, $"only {delays} distinct delays");
    }
}
