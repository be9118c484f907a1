namespace Pipeline.Adapters.Storage;

/// <summary>The service's container naming rule, checked before any request so a bad prefix fails with a clear message.</summary>
internal static class BlobContainerNames
{
    public static bool IsValid(string name) =>
        name.Length is >= 3 and <= 63
        && char.IsAsciiLetterOrDigit(name[0])
        && char.IsAsciiLetterOrDigit(name[^1])
        && !name.Contains("--", StringComparison.Ordinal)
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    /// <summary>Whether <paramref name="prefix"/> followed by any area name ("lake" … "submissions") is a valid name.</summary>
    public static bool IsValidPrefix(string prefix) =>
        prefix.Length == 0 || (IsValid(prefix + "submissions") && IsValid(prefix + "lake") && !prefix.EndsWith("--", StringComparison.Ordinal));
}
