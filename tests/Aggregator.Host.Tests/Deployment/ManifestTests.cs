using System.Net;

namespace Aggregator.Host.Tests.Deployment;

/// <summary>deploy/k8s/base agrees with the code, and every check would notice if it did not.</summary>
public sealed class ManifestTests
{
    public static TheoryData<string> Checks => new(ManifestChecks.All.Keys);

    /// <summary>One deliberate mistake per check: (check, file, text to find, what to put instead).</summary>
    public static TheoryData<string, string, string, string> Breakages => new()
    {
        { "resources", "kustomization.yaml", "  - pdb.yaml\n", "" },
        { "environment", "statefulset.yaml", "name: Aggregator__DataDirectory", "name: Aggregator__DataDirectry" },
        { "environment", "configmap.yaml", "Aggregator__Cluster__Prefetch:", "Aggregator__Cluster__Prefetch__Max:" },
        { "environment", "configmap.yaml", "Aggregator__Logging__Format:", "Aggregator_Logging_Format:" },
        { "environment", "statefulset.yaml", "name: aggregator-config", "name: aggregator-settings" },
        { "probe paths", "statefulset.yaml", "path: /readyz", "path: /healthz" },
        { "probe ports", "statefulset.yaml", "containerPort: 8080", "containerPort: 8081" },
        { "probe ports", "statefulset.yaml", "value: http://0.0.0.0:8080", "value: http://127.0.0.1:8080" },
        { "grace period", "statefulset.yaml", "terminationGracePeriodSeconds: 45", "terminationGracePeriodSeconds: 30" },
        { "grace period", "statefulset.yaml", "value: \"30\"", "value: \"60\"" },
        { "grace period", "statefulset.yaml", "terminationGracePeriodSeconds: 45", "terminationGracePeriodSeconds: 32" },
        { "pod management", "statefulset.yaml", "podManagementPolicy: Parallel", "podManagementPolicy: OrderedReady" },
        { "services", "statefulset.yaml", "serviceName: aggregator-headless", "serviceName: aggregator" },
        { "services", "service-headless.yaml", "clusterIP: None", "type: ClusterIP" },
        { "services", "service.yaml", "targetPort: http", "targetPort: web" },
        { "disruption budget", "pdb.yaml", "matchLabels:\n      app.kubernetes.io/name: aggregator", "matchLabels:\n      app.kubernetes.io/name: aggregatr" },
        { "security", "statefulset.yaml", "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false" },
        { "security", "statefulset.yaml", "runAsNonRoot: true", "runAsNonRoot: false" },
        { "security", "statefulset.yaml", "- ALL", "- NET_RAW" },
        { "security", "statefulset.yaml", "mountPath: /data", "mountPath: /var/lib/aggregator" },
        { "cluster mode", "configmap.yaml", "Aggregator__Store: postgres", "Aggregator__Store: sqlite" },
        { "replicas", "statefulset.yaml", "replicas: 3", "replicas: 4" },
        { "replicas", "statefulset.yaml", "value: \"3\"", "value: \"2\"" },
        { "replicas", "kustomization.yaml", "images:", "replicas:\n  - name: aggregator\n    count: 5\nimages:" },
        { "secrets", "statefulset.yaml", "secretKeyRef:\n                  name: aggregator-secrets\n                  key: rabbitmq-uri", "configMapKeyRef:\n                  name: aggregator-config\n                  key: rabbitmq-uri" },
    };

    [Theory]
    [MemberData(nameof(Checks))]
    public void The_base_passes(string check)
    {
        var problems = ManifestChecks.All[check](ManifestSet.LoadBase());

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems)); // every problem, untruncated
    }

    [Theory]
    [MemberData(nameof(Breakages))]
    public void A_broken_copy_of_the_base_is_caught(string check, string file, string find, string replace)
    {
        var broken = ManifestSet.LoadBase((name, text) =>
        {
            if (name != file) return text;
            Assert.Contains(find, text); // the mistake is really made, not a no-op
            return text.Replace(find, replace, StringComparison.Ordinal);
        });

        Assert.NotEmpty(ManifestChecks.All[check](broken));
    }

    [Fact]
    public void Misspelled_settings_in_an_inline_manifest_are_caught()
    {
        var broken = ManifestSet.FromYaml("""
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: settings }
            data:
              Aggregator__Stor: postgres
              Aggregator__Cluster__Shards: "32"
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: { name: aggregator }
            spec:
              template:
                spec:
                  containers:
                    - name: aggregator
                      envFrom: [ { configMapRef: { name: settings } } ]
                      env:
                        - { name: Aggregator__Cluster__Shard, value: "32" }
                        - { name: Aggregator__GlobalDimensions__team, value: metrics }
                        - { name: ASPNETCORE_URL, value: "http://0.0.0.0:8080" }
            """);

        var problems = ManifestChecks.EnvironmentKeys(broken);

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("Aggregator__Stor:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Aggregator__Cluster__Shard:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("ASPNETCORE_URL:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_probe_paths_are_served_by_the_running_service()
    {
        var probes = ManifestChecks.ProbeHttpPaths(ManifestSet.LoadBase()).ToList();
        await using var host = await TestAggregatorHost.StartAsync();
        using var client = host.CreateClient();

        Assert.Equal(3, probes.Count);
        foreach (var (probe, path) in probes) Assert.Null(await ProbeProblem(client, probe, path!));
    }

    [Fact]
    public async Task A_probe_path_the_service_does_not_serve_is_caught()
    {
        await using var host = await TestAggregatorHost.StartAsync();
        using var client = host.CreateClient();

        Assert.NotNull(await ProbeProblem(client, "livenessProbe", "/health"));
        Assert.NotNull(await ProbeProblem(client, "readinessProbe", "/ready"));
    }

    /// <summary>
    /// Null when <paramref name="path"/> answers as the probe needs: liveness 200; readiness 200 or 503 (a not-ready
    /// pod is a valid answer, a 404 is a probe that can never pass and would keep the pod out of the Service forever).
    /// </summary>
    private static async Task<string?> ProbeProblem(HttpClient client, string probe, string path)
    {
        using var response = await client.GetAsync(path);
        var fine = probe == "readinessProbe"
            ? response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable
            : response.StatusCode is HttpStatusCode.OK;
        return fine ? null : $"{probe} GET {path} answered {(int)response.StatusCode}";
    }
}
