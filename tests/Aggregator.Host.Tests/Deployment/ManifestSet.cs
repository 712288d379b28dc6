using YamlDotNet.RepresentationModel;

namespace Aggregator.Host.Tests.Deployment;

/// <summary>
/// The Kubernetes objects of <c>deploy/k8s/base</c> (or of an inline YAML string), parsed once, with the lookups the
/// checks share: the StatefulSet, its aggregator container, and the value a setting has in the pod (container env
/// first, then the ConfigMaps it imports, as Kubernetes resolves them).
/// </summary>
internal sealed class ManifestSet
{
    public const string BaseDirectory = "deploy/k8s/base";

    private ManifestSet(IReadOnlyList<YamlNode> objects, YamlNode? kustomization, IReadOnlyList<string> problems)
    {
        Objects = objects;
        Kustomization = kustomization;
        LoadProblems = problems;
    }

    public IReadOnlyList<YamlNode> Objects { get; }

    /// <summary>The kustomization.yaml of the directory, or null for an inline manifest.</summary>
    public YamlNode? Kustomization { get; }

    /// <summary>Resource files the kustomization names but that are missing, and YAML files it leaves out.</summary>
    public IReadOnlyList<string> LoadProblems { get; }

    /// <summary>
    /// Loads the base the way <c>kubectl apply -k</c> would pick its files: those listed under <c>resources</c>.
    /// <paramref name="edit"/> rewrites a file's text first (file name, text → text), so a test can break one field.
    /// </summary>
    public static ManifestSet LoadBase(Func<string, string, string>? edit = null)
    {
        var directory = Path.Combine(RepositoryRoot(), BaseDirectory);
        string Read(string file) => edit is null ? File.ReadAllText(Path.Combine(directory, file)) : edit(file, File.ReadAllText(Path.Combine(directory, file)));

        var kustomization = Parse(Read("kustomization.yaml")).Single();
        var listed = kustomization.Items("resources").Select(r => ((YamlScalarNode)r).Value!).ToList();
        var problems = listed.Where(file => !File.Exists(Path.Combine(directory, file))).Select(file => $"kustomization.yaml lists {file}, which does not exist").ToList();
        problems.AddRange(Directory.GetFiles(directory, "*.yaml").Select(Path.GetFileName)
            .Where(file => file != "kustomization.yaml" && !listed.Contains(file!))
            .Select(file => $"{file} is not listed under resources in kustomization.yaml"));
        var objects = listed.Where(file => File.Exists(Path.Combine(directory, file))).SelectMany(file => Parse(Read(file))).ToList();
        return new ManifestSet(objects, kustomization, problems);
    }

    /// <summary>Objects from one multi-document YAML string, for deliberately broken manifests written in a test.</summary>
    public static ManifestSet FromYaml(string yaml) => new(Parse(yaml), kustomization: null, problems: []);

    public IEnumerable<YamlNode> OfKind(string kind) => Objects.Where(o => o.Text("kind") == kind);

    public YamlNode? Find(string kind, string? name) => OfKind(kind).FirstOrDefault(o => o.Text("metadata", "name") == name);

    public YamlNode? StatefulSet => OfKind("StatefulSet").FirstOrDefault();

    public YamlNode? PodSpec => StatefulSet.At("spec", "template", "spec");

    public IReadOnlyDictionary<string, string> PodLabels => StatefulSet.Pairs("spec", "template", "metadata", "labels");

    /// <summary>The service's container: the one named <c>aggregator</c>, else the only one.</summary>
    public YamlNode? Container
    {
        get
        {
            var containers = PodSpec.Items("containers");
            return containers.FirstOrDefault(c => c.Text("name") == "aggregator") ?? (containers.Count == 1 ? containers[0] : null);
        }
    }

    /// <summary>The ConfigMaps the container imports whole with <c>envFrom</c>, by name; null for one not in the set.</summary>
    public IEnumerable<(string Name, YamlNode? ConfigMap)> ImportedConfigMaps =>
        Container.Items("envFrom").Select(e => e.Text("configMapRef", "name")).OfType<string>().Select(name => (name, Find("ConfigMap", name)));

    /// <summary>
    /// The plain value an environment variable has in the pod: the container's <c>env</c> wins over <c>envFrom</c>
    /// ConfigMaps. Null when unset or when it comes from a secret (valueFrom). Names compare ignoring case, as configuration keys do.
    /// </summary>
    public string? Setting(string name)
    {
        var env = Container.Items("env").FirstOrDefault(e => string.Equals(e.Text("name"), name, StringComparison.OrdinalIgnoreCase));
        if (env is not null) return env.Text("value");
        foreach (var (_, configMap) in ImportedConfigMaps.Reverse())
        {
            var data = configMap.Pairs("data");
            var key = data.Keys.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
            if (key is not null) return data[key];
        }
        return null;
    }

    private static IReadOnlyList<YamlNode> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(d => d.RootNode).Where(n => n is YamlMappingNode).ToList();
    }

    /// <summary>The checkout's root (where Aggregator.sln is), found from the test binary so any working directory works.</summary>
    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Aggregator.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"No Aggregator.sln above {AppContext.BaseDirectory}.");
    }
}
