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
}
