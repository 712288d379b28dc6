using System.Diagnostics;
using Aggregator.Actors.Persistence.Postgres;
using Aggregator.Contracts;
using Aggregator.Host.Tests.Api;
using Aggregator.Host.Tests.Lifecycle;
using Aggregator.Host.Tests.TestServices;
using Aggregator.Tests.Shared;
using Xunit.Abstractions;

namespace Aggregator.Host.Tests.ClusterMode;

/// <summary>
/// Faults (2) and (3) of the cluster issue: RabbitMQ or PostgreSQL restarts under steady load on three nodes. Every
/// request the cluster accepted is persisted exactly once with its counter, and the stored aggregates equal a
/// recomputation from the journaled entries; the time until the last accepted entry is persisted after the restart
/// is reported.
/// </summary>
[Collection(ServiceOutages.Name)]
public sealed class ServiceRestartTests(ITestOutputHelper output)
{

    [ServiceFact("AGGREGATOR_TEST_POSTGRES", "AGGREGATOR_TEST_RABBITMQ", RabbitMqControl.CtlVariable)]
    public Task A_rabbitmq_restart_under_load_loses_nothing_and_counts_nothing_twice() =>
        RestartUnderLoadAsync("rabbitmq", RabbitMqControl.StopAsync, RabbitMqControl.StartAsync);

    [ServiceFact("AGGREGATOR_TEST_POSTGRES", "AGGREGATOR_TEST_RABBITMQ", PostgresServerControl.DataVariable, PostgresServerControl.PgCtlVariable)]
    public Task A_postgresql_restart_under_load_loses_nothing_and_counts_nothing_twice() =>
        RestartUnderLoadAsync("postgres", PostgresServerControl.StopAsync, PostgresServerControl.StartAsync);

    private async Task RestartUnderLoadAsync(string service, Func<Task> stop, Func<Task> start)
    {
        using var cluster = new ClusterNode(Guid.NewGuid().ToString("N")[..10], shards: 6, nodes: 3);
        var nodes = new List<ServiceProcess>();
        try
        {
            foreach (var ordinal in new[] { 0, 1, 2 }) nodes.Add(await cluster.StartAsync(ordinal));
            await using var load = new SteadyLoad(nodes.Select(n => n.Address).ToList(), service);
            await Eventually.GetAsync(() => Task.FromResult((load.Accepted.Count >= 50, true)), "load to run");

            await stop();
            await Task.Delay(TimeSpan.FromSeconds(3)); // the outage: the load keeps going (refused or buffered)
            await start();
            var restarted = Stopwatch.GetTimestamp();
            var acceptedBefore = load.Accepted.Count;
            await Eventually.GetAsync(() => Task.FromResult((load.Accepted.Count >= acceptedBefore + 50, true)), "load to be accepted again after the restart", TimeSpan.FromSeconds(60));
            await load.StopAsync();

            await cluster.AssertPersistedAsync(load.Accepted.Select(a => (a.Key, (long)a.Value.Value)), "N");
            var report = $"{service} restart: {load.Accepted.Count} entries accepted and persisted once, {load.Refused} requests refused during the outage; " +
                $"all persisted {Stopwatch.GetElapsedTime(restarted).TotalSeconds:0.0} s after the restart";
            RecoveryReport.Add(output, report);
            await cluster.AssertAggregatesAsync("Steady");
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }
}

/// <summary>Tests that stop a shared test service run one at a time, and never beside each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServiceOutages
{
    public const string Name = "service outages";
}
