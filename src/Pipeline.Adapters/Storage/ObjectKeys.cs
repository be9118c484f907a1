namespace Pipeline.Adapters.Storage;

/// <summary>Checks keys before they reach a store, so a hostile drop path cannot escape its area.</summary>
public static class ObjectKeys
{
    public const int MaxLength = 1024;

    /// <summary>
    /// Throws when a key is empty, absolute, too long, or has empty, '.' or '..' segments, or control characters unless
    /// <paramref name="allowControlCharacters"/>: the file system holds such names (a trust's file called "a\u001b.csv"), and
    /// refusing them would leave the file without a verdict; every place that shows a key escapes them instead.
    /// </summary>
    public static string Validate(string key, bool allowControlCharacters = false)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length is 0 or > MaxLength || key[0] == '/' || key.Contains('\\', StringComparison.Ordinal) || (!allowControlCharacters && key.Any(char.IsControl)) || key.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{ShowControls(key)}' is not a valid object key (relative, '/'-separated, at most {MaxLength} characters).", nameof(key));
        }

        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0 || segment is "." or "..")
            {
                throw new ArgumentException($"'{ShowControls(key)}' has an empty, '.' or '..' segment.", nameof(key));
            }
        }

        return key;
    }

    private static string ShowControls(string key) => Pipeline.Core.Validation.SubmitterText.ShowControls(key);
}
