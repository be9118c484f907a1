using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Repository;

/// <summary>
/// C# lines stay within the .editorconfig's <c>max_line_length</c> (140). Lines that were longer before the rule came in are
/// counted per file in <c>eng/line-length-baseline.txt</c>: a file may not gain overlong lines, a new file may have none, and
/// the baseline is rewritten only to shrink (<c>UPDATE_LINE_BASELINE=1</c> after shortening lines).
/// </summary>
public sealed class LineLengthTests
{
    private const int MaxLineLength = 140;

    private static readonly string[] Roots = ["src", "tests", "bench"];

    [Fact]
    public void No_file_has_more_overlong_lines_than_its_baseline_allows()
    {
        var baselinePath = RepositoryPaths.Combine("eng", "line-length-baseline.txt");
        var baseline = File.ReadAllLines(baselinePath)
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2))
            .ToDictionary(p => p[1], p => int.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
        var counts = OverlongLinesPerFile();

        if (Environment.GetEnvironmentVariable("UPDATE_LINE_BASELINE") == "1")
        {
            Assert.All(counts, c => Assert.True(c.Value <= baseline.GetValueOrDefault(c.Key), $"{c.Key} would grow in the baseline"));
            File.WriteAllLines(baselinePath, [
                $"# Overlong (> {MaxLineLength} characters) C# lines per file from before the rule; may only shrink.",
                .. counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Value} {c.Key}")]);
        }

        var grown = counts
            .Where(c => c.Value > baseline.GetValueOrDefault(c.Key))
            .Select(c => $"{c.Key}: {c.Value} lines over {MaxLineLength} characters (allowed {baseline.GetValueOrDefault(c.Key)})")
            .ToList();
        Assert.Empty(grown);
    }

    [Fact]
    public void The_editorconfig_states_the_limit_this_test_holds()
    {
        var editorconfig = File.ReadAllText(RepositoryPaths.Combine(".editorconfig"));

        Assert.Contains($"max_line_length = {MaxLineLength}", editorconfig, StringComparison.Ordinal);
    }

    internal static Dictionary<string, int> OverlongLinesPerFile() =>
        Roots.SelectMany(root => Directory.EnumerateFiles(RepositoryPaths.Combine(root), "*.cs", SearchOption.AllDirectories))
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "obj" or "bin"))
            .Select(path => (
                File: Path.GetRelativePath(RepositoryPaths.Root, path).Replace('\\', '/'),
                Count: File.ReadLines(path).Count(l => l.Length > MaxLineLength)))
            .Where(x => x.Count > 0)
            .ToDictionary(x => x.File, x => x.Count, StringComparer.Ordinal);
}
