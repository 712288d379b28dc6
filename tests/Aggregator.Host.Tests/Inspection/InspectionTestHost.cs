using Aggregator.Actors.Entries;
using Aggregator.Contracts;
using Aggregator.Host.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Host.Tests.Inspection;

/// <summary>Entries made through the in-process API of a started test host (HTTP ingestion is not there yet).</summary>
internal static class InspectionTestHost
{
    public static EntryRegion Entries(this TestAggregatorHost host) => host.App.Services.GetRequiredService<EntryPipeline>().Entries;

    /// <summary>Opens and closes <paramref name="count"/> entries of <paramref name="operation"/> and waits until all of them closed.</summary>
    public static async Task CloseEntriesAsync(this TestAggregatorHost host, string operation, int count)
    {
        var entries = host.Entries();
        for (var i = 0; i < count; i++)
        {
            using var entry = entries.Open(operation);
            entry.Add("items", i);
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (entries.Statistics.Snapshot(operation) is not { } stats || stats.Closed[CloseReason.Completed] < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{count} entries of {operation} did not close in time");
            await Task.Delay(10);
        }
    }
}
