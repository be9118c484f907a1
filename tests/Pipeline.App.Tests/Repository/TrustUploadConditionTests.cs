using System.Text.RegularExpressions;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Repository;

/// <summary>
/// The per-trust ABAC condition is a string Bicep cannot check and Azure only checks at deployment, so check its shape
/// here: balanced, every path test is the trust's own folder, uploads only into submissions/, never a delete.
/// </summary>
public sealed partial class TrustUploadConditionTests
{
    private static readonly string Condition = ConditionFor("RXX");

    [Fact]
    public void Condition_has_balanced_parentheses_and_no_placeholder_left()
    {
        var depth = 0;
        foreach (var c in Condition)
        {
            depth += c switch { '(' => 1, ')' => -1, _ => 0 };
            Assert.True(depth >= 0, "a ')' closes nothing");
        }

        Assert.Equal(0, depth);
        Assert.DoesNotContain("__TRUST__", Condition, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_path_and_prefix_test_is_the_trusts_own_folder()
    {
        var folders = PathTest().Matches(Condition).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(3, folders.Count);
        Assert.All(folders, folder => Assert.Equal("RXX/", folder));
    }

    [Fact]
    public void Writes_are_allowed_only_in_submissions_and_deletes_never()
    {
        var writeClause = Condition[..Condition.IndexOf("blobs/read", StringComparison.Ordinal)];

        Assert.Contains("containers:name] StringEquals 'submissions'", writeClause, StringComparison.Ordinal);
        Assert.DoesNotContain("'reports'", writeClause, StringComparison.Ordinal);
        Assert.EndsWith("!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete'})\n)", Condition.TrimEnd(), StringComparison.Ordinal);
    }

    private static string ConditionFor(string trust)
    {
        var bicep = File.ReadAllText(RepositoryPaths.Combine("infra", "app", "trust-upload-access.bicep"));
        var template = Template().Match(bicep);
        Assert.True(template.Success, "conditionTemplate not found in trust-upload-access.bicep");
        return template.Groups[1].Value.Replace("__TRUST__", trust, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"var conditionTemplate = '''(.*?)'''", RegexOptions.Singleline)]
    private static partial Regex Template();

    [GeneratedRegex(@"(?:blobs:path|blobs:prefix)\] StringStartsWith '([^']*)'")]
    private static partial Regex PathTest();
}
