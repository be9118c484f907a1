using System.Text.RegularExpressions;
using Pipeline.Tests.Shared;
using YamlDotNet.RepresentationModel;

namespace Pipeline.App.Tests.Repository;

/// <summary>Reads the repository's YAML automation (GitHub workflows, azure.yaml) and finds the files it refers to.</summary>
internal static partial class WorkflowFiles
{
    public static IEnumerable<string> Workflows() =>
        Directory.EnumerateFiles(RepositoryPaths.Combine(".github", "workflows"), "*.yml").Order(StringComparer.Ordinal);

    public static YamlMappingNode Load(string path)
    {
        using var reader = new StreamReader(path);
        var stream = new YamlStream();
        stream.Load(reader);
        return Assert.IsType<YamlMappingNode>(Assert.Single(stream.Documents).RootNode);
    }

    public static YamlNode? Child(YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static string? Text(YamlNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;

    /// <summary>
    /// Repository-relative paths a command line or setting mentions (<c>eng/test.sh</c>, <c>src/X/X.csproj</c>,
    /// <c>Pipeline.sln</c>), leaving out build outputs under <c>artifacts/</c>, expressions, options and URLs.
    /// </summary>
    public static IEnumerable<string> PathsMentionedIn(string text) =>
        Token().Matches(text)
            .Select(m => m.Value.TrimEnd('.', ',', ';', ':'))
            .Where(t => !t.StartsWith('$') && !t.StartsWith('-') && !t.Contains("://", StringComparison.Ordinal))
            .Select(t => t.StartsWith("./", StringComparison.Ordinal) ? t[2..] : t)
            .Where(t => !t.StartsWith("artifacts/", StringComparison.Ordinal))
            .Where(t => t.Contains('/', StringComparison.Ordinal) || FileName().IsMatch(t))
            .Distinct(StringComparer.Ordinal);

    /// <summary>The mentioned paths that are neither a file nor a folder of the repository.</summary>
    public static IEnumerable<string> MissingPaths(string text) =>
        PathsMentionedIn(text).Where(p => !File.Exists(RepositoryPaths.Combine(p)) && !Directory.Exists(RepositoryPaths.Combine(p)));

    [GeneratedRegex(@"[^\s""'=,()]+")]
    private static partial Regex Token();

    [GeneratedRegex(@"^[\w.-]+\.(sln|slnx|csproj|sh|bicep|json|yml|yaml)$")]
    private static partial Regex FileName();
}
