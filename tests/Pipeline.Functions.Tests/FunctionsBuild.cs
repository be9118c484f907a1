using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Tests.Shared;

namespace Pipeline.Functions.Tests;

/// <summary>The Functions project's build output (beside this test project's, same configuration) and the infra files it must agree with.</summary>
internal static partial class FunctionsBuild
{
    /// <summary>artifacts/bin/Pipeline.Functions/&lt;configuration&gt;/: what <c>dotnet publish</c> ships, with the generated functions.metadata.</summary>
    public static string OutputDirectory
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
            return RepositoryPaths.Combine("artifacts", "bin", "Pipeline.Functions", configuration);
        }
    }

    public static string WorkerAssembly => Path.Combine(OutputDirectory, "Pipeline.Functions.dll");

    public static JsonElement Metadata()
    {
        var path = Path.Combine(OutputDirectory, "functions.metadata");
        Assert.True(File.Exists(path), $"{path} is missing: the Worker SDK writes it when src/Pipeline.Functions builds.");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    public static JsonElement Function(string name) =>
        Assert.Single(Metadata().EnumerateArray(), f => f.GetProperty("name").GetString() == name);

    public static JsonElement Binding(JsonElement function, string type) =>
        Assert.Single(function.GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString() == type);

    public static string Bicep(params string[] path) => File.ReadAllText(RepositoryPaths.Combine(["infra", .. path]));

    /// <summary>The app settings function-app.bicep writes (key: value expression, quotes removed), by key.</summary>
    public static IReadOnlyDictionary<string, string> BicepAppSettings()
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in AppSetting().Matches(Bicep("app", "function-app.bicep")))
        {
            settings[m.Groups[1].Value] = m.Groups[2].Value.Trim().Trim('\'');
        }

        return settings;
    }

    /// <summary>A Bicep string with its <c>${param}</c> holes filled from <paramref name="values"/>; fails on a hole without a value.</summary>
    public static string Fill(string bicepString, IReadOnlyDictionary<string, string> values) =>
        Hole().Replace(bicepString, m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : throw new InvalidOperationException($"No test value for ${{{m.Groups[1].Value}}} in '{bicepString}'."));

    [GeneratedRegex(@"^\s{2}([A-Za-z_][A-Za-z0-9_]*__[A-Za-z0-9_]+|[A-Z_]+):\s*(.+)$", RegexOptions.Multiline)]
    private static partial Regex AppSetting();

    [GeneratedRegex(@"\$\{([A-Za-z0-9_.()]+)\}")]
    private static partial Regex Hole();
}
