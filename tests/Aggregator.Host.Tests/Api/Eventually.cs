namespace Aggregator.Host.Tests.Api;

/// <summary>
/// Waits for something the service does asynchronously (an entry reaching the store) by asking again until it holds,
/// bounded: the answer is observed, never assumed after a fixed sleep.
/// </summary>
internal static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<(bool Done, T Value)>> attempt, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var (done, value) = await attempt();
            if (done) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Gave up waiting for {what}.");
            await Task.Delay(20);
        }
    }
}
