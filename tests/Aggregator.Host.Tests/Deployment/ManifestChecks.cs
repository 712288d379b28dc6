using System.Text.RegularExpressions;
using Aggregator.Host.Configuration;
using YamlDotNet.RepresentationModel;

namespace Aggregator.Host.Tests.Deployment;

/// <summary>
/// What the manifests must agree on with the code and with each other. Each check returns the problems it finds
/// (empty when fine) instead of asserting, so a test can also feed it a broken manifest and see it complain.
/// </summary>
internal static partial class ManifestChecks
{
    public const string HealthPath = "/healthz";
    public const string ReadyPath = "/readyz";

    public static readonly string UrlsVariable = "ASPNETCORE_URLS";
    public static readonly string DataDirectoryVariable = Variable(nameof(AggregatorOptions.DataDirectory));
    public static readonly string ShutdownTimeoutVariable = Variable(nameof(AggregatorOptions.ShutdownTimeoutSeconds));
    public static readonly string ModeVariable = Variable(nameof(AggregatorOptions.Mode));
    public static readonly string StoreVariable = Variable(nameof(AggregatorOptions.Store));
    public static readonly string PostgresVariable = Variable(nameof(AggregatorOptions.PostgresConnectionString));
    public static readonly string NodesVariable = Variable(nameof(AggregatorOptions.Cluster), nameof(ClusterOptions.Nodes));
    public static readonly string RabbitMqVariable = Variable(nameof(AggregatorOptions.Cluster), nameof(ClusterOptions.RabbitMqUri));

    private static readonly string[] Probes = ["startupProbe", "livenessProbe", "readinessProbe"];

    /// <summary>Every check by name, for the tests to run over the real base and over broken copies.</summary>
    public static readonly IReadOnlyDictionary<string, Func<ManifestSet, IReadOnlyList<string>>> All = new Dictionary<string, Func<ManifestSet, IReadOnlyList<string>>>
    {
        ["resources"] = set => set.LoadProblems,
        ["environment"] = EnvironmentKeys,
        ["probe paths"] = ProbePaths,
        ["probe ports"] = ProbePorts,
        ["grace period"] = GracePeriod,
        ["pod management"] = PodManagement,
        ["services"] = Services,
        ["disruption budget"] = DisruptionBudget,
        ["security"] = Security,
        ["cluster mode"] = ClusterMode,
        ["replicas"] = Replicas,
        ["secrets"] = Secrets,
    };

    /// <summary>The HTTP paths of the container's probes by probe kind, for asking the running app whether they exist.</summary>
    public static IEnumerable<(string Probe, string? Path)> ProbeHttpPaths(ManifestSet set) =>
        Probes.Where(p => set.Container.At(p) is not null).Select(p => (p, set.Container.Text(p, "httpGet", "path")));

    /// <summary>Env vars and imported ConfigMap keys name settings the service reads.</summary>
    public static IReadOnlyList<string> EnvironmentKeys(ManifestSet set)
    {
        if (set.Container is null) return ["no aggregator container in the StatefulSet"];
        var problems = set.Container.Items("env").Select(e => ConfigurationKeys.Problem(e.Text("name") ?? "")).OfType<string>().Select(p => "env " + p).ToList();
        foreach (var (name, configMap) in set.ImportedConfigMaps)
        {
            if (configMap is null) problems.Add($"envFrom names ConfigMap {name}, which is not among the manifests");
            else problems.AddRange(configMap.Pairs("data").Keys.Select(ConfigurationKeys.Problem).OfType<string>().Select(p => $"ConfigMap {name}: {p}"));
        }
        return problems;
    }

    /// <summary>Liveness asks /healthz (never the store), readiness /readyz; every probe is an HTTP GET.</summary>
    public static IReadOnlyList<string> ProbePaths(ManifestSet set)
    {
        var problems = new List<string>();
        var paths = ProbeHttpPaths(set).ToDictionary(p => p.Probe, p => p.Path);
        if (paths.GetValueOrDefault("livenessProbe") != HealthPath) problems.Add($"livenessProbe must GET {HealthPath} (is {paths.GetValueOrDefault("livenessProbe") ?? "missing"})");
        if (paths.GetValueOrDefault("readinessProbe") != ReadyPath) problems.Add($"readinessProbe must GET {ReadyPath} (is {paths.GetValueOrDefault("readinessProbe") ?? "missing"})");
        problems.AddRange(paths.Where(p => p.Value is null).Select(p => $"{p.Key} is not an httpGet probe"));
        return problems;
    }

    /// <summary>The service listens on every interface at a port the container declares, and the probes ask that port.</summary>
    public static IReadOnlyList<string> ProbePorts(ManifestSet set)
    {
        var urls = set.Setting(UrlsVariable);
        if (urls is null) return [$"{UrlsVariable} is not set: the service would listen on {AggregatorApp.DefaultUrl}, which the kubelet cannot reach"];
        var problems = new List<string>();
        var listening = new List<int>();
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = ListenUrl().Match(url);
            if (!match.Success) { problems.Add($"{UrlsVariable} '{url}' names no explicit port"); continue; }
            if (match.Groups["host"].Value is not ("0.0.0.0" or "*" or "+" or "[::]")) problems.Add($"{UrlsVariable} '{url}' does not listen on every interface of the pod");
            listening.Add(int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
        foreach (var probe in Probes.Where(p => set.Container.At(p) is not null))
        {
            var port = set.Container.Text(probe, "httpGet", "port");
            if (ContainerPort(set, port) is not { } number) problems.Add($"{probe} port '{port}' is not a port of the container");
            else if (!listening.Contains(number)) problems.Add($"{probe} asks port {number}, but the service listens on {urls}");
        }
        return problems;
    }

    /// <summary>Kubernetes waits long enough for the preStop sleep and then the whole configured drain before SIGKILL.</summary>
    public static IReadOnlyList<string> GracePeriod(ManifestSet set)
    {
        var problems = new List<string>();
        var grace = set.PodSpec.Int("terminationGracePeriodSeconds") ?? 30; // the Kubernetes default
        var preStop = set.Container.At("lifecycle", "preStop");
        var sleep = preStop.Int("sleep", "seconds") ?? ExecSleep(preStop);
        if (sleep is null) problems.Add("no preStop sleep: the pod can still receive requests after SIGTERM, until the endpoints drop it");
        var configured = set.Setting(ShutdownTimeoutVariable);
        var shutdown = configured is null ? new AggregatorOptions().ShutdownTimeoutSeconds : int.TryParse(configured, out var seconds) ? seconds : (int?)null;
        if (shutdown is null) problems.Add($"{ShutdownTimeoutVariable} '{configured}' is not a whole number of seconds");
        else if (grace < (sleep ?? 0) + shutdown)
            problems.Add($"terminationGracePeriodSeconds {grace} < preStop {sleep ?? 0} s + {ShutdownTimeoutVariable} {shutdown} s: the drain would be killed");
        return problems;
    }

    public static IReadOnlyList<string> PodManagement(ManifestSet set) =>
        set.StatefulSet.Text("spec", "podManagementPolicy") == "Parallel" ? [] : ["podManagementPolicy must be Parallel: pods need not wait for each other, RabbitMQ arbitrates shard ownership"];

    /// <summary>serviceName is a headless Service; every Service selects the pods and targets a container port.</summary>
    public static IReadOnlyList<string> Services(ManifestSet set)
    {
        var problems = new List<string>();
        if (!IsSubset(set.StatefulSet.Pairs("spec", "selector", "matchLabels"), set.PodLabels)) problems.Add("the StatefulSet's selector does not match its pod labels");
        var serviceName = set.StatefulSet.Text("spec", "serviceName");
        var governing = set.Find("Service", serviceName);
        if (governing is null) problems.Add($"serviceName '{serviceName}' is not a Service among the manifests");
        else if (governing.Text("spec", "clusterIP") != "None") problems.Add($"Service {serviceName} (the StatefulSet's serviceName) must be headless (clusterIP: None)");
        if (!set.OfKind("Service").Any(s => s.Text("spec", "clusterIP") != "None")) problems.Add("no client Service (one with a cluster IP)");
        foreach (var service in set.OfKind("Service"))
        {
            var name = service.Text("metadata", "name");
            if (!IsSubset(service.Pairs("spec", "selector"), set.PodLabels)) problems.Add($"Service {name}'s selector does not match the pod labels");
            foreach (var port in service.Items("spec", "ports"))
            {
                var target = port.Text("targetPort") ?? port.Text("port");
                if (ContainerPort(set, target) is null) problems.Add($"Service {name} targets port '{target}', which the container does not declare");
            }
        }
        return problems;
    }

    public static IReadOnlyList<string> DisruptionBudget(ManifestSet set)
    {
        var budgets = set.OfKind("PodDisruptionBudget").ToList();
        if (budgets.Count == 0) return ["no PodDisruptionBudget"];
        return budgets.Where(b => !IsSubset(b.Pairs("spec", "selector", "matchLabels"), set.PodLabels))
            .Select(b => $"PodDisruptionBudget {b.Text("metadata", "name")}'s selector does not match the pod labels").ToList();
    }

    /// <summary>Non-root, no privilege, read-only root filesystem, and writable volumes where the service writes.</summary>
    public static IReadOnlyList<string> Security(ManifestSet set)
    {
        var problems = new List<string>();
        var pod = set.PodSpec.At("securityContext");
        var container = set.Container.At("securityContext");
        string? Effective(params string[] keys) => container.Text(keys) ?? pod.Text(keys);
        if (Effective("runAsNonRoot") != "true") problems.Add("runAsNonRoot must be true");
        if ((container.Int("runAsUser") ?? pod.Int("runAsUser")) is not > 0) problems.Add("runAsUser must be a non-zero user id");
        if (container.Text("readOnlyRootFilesystem") != "true") problems.Add("readOnlyRootFilesystem must be true");
        if (container.Text("allowPrivilegeEscalation") != "false") problems.Add("allowPrivilegeEscalation must be false");
        if (!container.Items("capabilities", "drop").Any(c => (c as YamlScalarNode)?.Value == "ALL")) problems.Add("capabilities must drop ALL");
        if (Effective("seccompProfile", "type") is not ("RuntimeDefault" or "Localhost")) problems.Add("seccompProfile must be RuntimeDefault");

        var dataDirectory = set.Setting(DataDirectoryVariable);
        if (dataDirectory is null || !dataDirectory.StartsWith('/')) problems.Add($"{DataDirectoryVariable} must be an absolute path on a mounted volume (is '{dataDirectory}')");
        else problems.AddRange(WritableMount(set, dataDirectory));
        problems.AddRange(WritableMount(set, "/tmp"));
        return problems;
    }

    public static IReadOnlyList<string> ClusterMode(ManifestSet set)
    {
        var problems = new List<string>();
        if (set.Setting(ModeVariable) != "cluster") problems.Add($"{ModeVariable} must be cluster (is '{set.Setting(ModeVariable)}')");
        if (set.Setting(StoreVariable) != "postgres") problems.Add($"{StoreVariable} must be postgres: every pod shares the journal (is '{set.Setting(StoreVariable)}')");
        return problems;
    }

    /// <summary>Nodes equals replicas: a pod whose ordinal is not below Nodes refuses to start, and fewer Nodes leave shards unowned.</summary>
    public static IReadOnlyList<string> Replicas(ManifestSet set)
    {
        var problems = new List<string>();
        var replicas = set.StatefulSet.Int("spec", "replicas") ?? 1;
        var configured = set.Setting(NodesVariable);
        var nodes = configured is null ? new ClusterOptions().Nodes : int.TryParse(configured, out var n) ? n : (int?)null;
        if (nodes != replicas) problems.Add($"{NodesVariable} ({configured ?? "unset"}) must equal the StatefulSet's replicas ({replicas})");
        foreach (var entry in set.Kustomization.Items("replicas").Where(r => r.Text("name") == set.StatefulSet.Text("metadata", "name")))
        {
            if (entry.Int("count") != nodes) problems.Add($"kustomization.yaml sets replicas to {entry.Text("count")}, but {NodesVariable} is {configured ?? "unset"}");
        }
        return problems;
    }

    /// <summary>Credentials come from a Secret, never from plain env values or the ConfigMap.</summary>
    public static IReadOnlyList<string> Secrets(ManifestSet set)
    {
        var problems = new List<string>();
        foreach (var variable in new[] { PostgresVariable, RabbitMqVariable })
        {
            var env = set.Container.Items("env").FirstOrDefault(e => e.Text("name") == variable);
            var reference = env.At("valueFrom", "secretKeyRef");
            if (string.IsNullOrEmpty(reference.Text("name")) || string.IsNullOrEmpty(reference.Text("key"))) problems.Add($"{variable} must come from a secretKeyRef with a name and a key");
            if (set.ImportedConfigMaps.Any(c => c.ConfigMap.Pairs("data").ContainsKey(variable))) problems.Add($"{variable} is in a ConfigMap, in plain text");
        }
        return problems;
    }

    private static string Variable(params string[] path) => string.Join("__", [AggregatorOptions.SectionName, .. path]);

    private static int? ExecSleep(YamlNode? preStop)
    {
        var command = string.Join(' ', preStop.Items("exec", "command").Select(c => (c as YamlScalarNode)?.Value));
        var match = Regex.Match(command, @"\bsleep (\d+)\b");
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    /// <summary>The container port a probe or Service names (by name or number), or null when the container has none such.</summary>
    private static int? ContainerPort(ManifestSet set, string? port)
    {
        var ports = set.Container.Items("ports");
        return ports.FirstOrDefault(p => p.Text("name") == port || p.Text("containerPort") == port).Int("containerPort");
    }

    private static IEnumerable<string> WritableMount(ManifestSet set, string directory)
    {
        var mount = set.Container.Items("volumeMounts").FirstOrDefault(m => m.Text("mountPath")?.TrimEnd('/') == directory.TrimEnd('/'));
        if (mount is null) yield return $"no volume mounted at {directory}, which the read-only root filesystem would refuse";
        else if (mount.Text("readOnly") == "true") yield return $"the volume at {directory} is mounted read-only";
        else if (!set.PodSpec.Items("volumes").Any(v => v.Text("name") == mount.Text("name"))) yield return $"the volume '{mount.Text("name")}' mounted at {directory} is not declared";
    }

    private static bool IsSubset(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(p => labels.TryGetValue(p.Key, out var value) && value == p.Value);

    [GeneratedRegex(@"^https?://(?<host>\[[^\]]*\]|[^:/]+):(?<port>\d+)/?$")]
    private static partial Regex ListenUrl();
}
