using Pipeline.Tests.Shared;

namespace Pipeline.Core.Tests.Approval;

/// <summary>
/// Approval testing without a library: compare rendered output with a committed <c>*.approved.*</c> file; on a mismatch
/// write <c>*.received.*</c> next to it and fail, saying how to review and approve. Line endings are normalised to LF.
/// </summary>
internal static class Approvals
{
    /// <param name="folder">The folder of approved files, relative to the repository root.</param>
    public static void Verify(string received, string folder, string name, string extension)
    {
        var directory = RepositoryPaths.Combine(folder);
        var approvedPath = Path.Combine(directory, $"{name}.approved.{extension}");
        var receivedPath = Path.Combine(directory, $"{name}.received.{extension}");
        var actual = received.ReplaceLineEndings("\n");
        if (File.Exists(approvedPath) && string.Equals(File.ReadAllText(approvedPath).ReplaceLineEndings("\n"), actual, StringComparison.Ordinal))
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(receivedPath, actual);
        Assert.Fail(File.Exists(approvedPath)
            ? $"The output differs from the approved file.\n  approved: {approvedPath}\n  received: {receivedPath}\n" +
              $"Review with: diff {approvedPath} {receivedPath}\nIf the change is intended, approve it: mv {receivedPath} {approvedPath}\n" +
              $"First difference: {FirstDifference(File.ReadAllText(approvedPath).ReplaceLineEndings("\n"), actual)}"
            : $"There is no approved file yet. Review {receivedPath} and, if it is right, approve it: mv {receivedPath} {approvedPath}");
    }

    private static string FirstDifference(string approved, string received)
    {
        var a = approved.Split('\n');
        var r = received.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, r.Length); i++)
        {
            var left = i < a.Length ? a[i] : "<end of file>";
            var right = i < r.Length ? r[i] : "<end of file>";
            if (!string.Equals(left, right, StringComparison.Ordinal))
            {
                return $"line {i + 1}\n  approved: {left}\n  received: {right}";
            }
        }

        return "none";
    }
}
