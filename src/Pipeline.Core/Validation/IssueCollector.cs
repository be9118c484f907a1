namespace Pipeline.Core.Validation;

/// <summary>
/// Gathers issues while a file streams past: every issue is counted, only the first examples per code are kept,
/// so a file with 100,000 bad rows reports the true count without holding 100,000 messages.
/// Every echoed value, message argument and location (column names, JSON keys, sheet names) passes through
/// <see cref="SubmitterText.Echo"/> here, in one place: identifiers masked, control characters shown.
/// </summary>
internal sealed class IssueCollector(int maxExamplesPerCode)
{
    private readonly Dictionary<string, (ErrorDefinition Definition, int Count, List<ValidationIssue> Examples)> _groups =
        new(StringComparer.Ordinal);

    public int ErrorCount { get; private set; }

    public int WarningCount { get; private set; }

    public bool HasErrors => ErrorCount > 0;

    public void Add(
        ErrorDefinition definition,
        IssueLocation location,
        string? value = null,
        string? rowKey = null,
        params IReadOnlyList<KeyValuePair<string, string>> arguments)
    {
        if (definition.Severity == Severity.Error)
        {
            ErrorCount++;
        }
        else
        {
            WarningCount++;
        }

        if (!_groups.TryGetValue(definition.Code, out var group))
        {
            group = (definition, 0, []);
        }

        group.Count++;
        if (group.Examples.Count < maxExamplesPerCode)
        {
            var masked = arguments.Select(a => KeyValuePair.Create(a.Key, SubmitterText.Echo(a.Value))).ToList();
            var shownValue = value is null ? null : SubmitterText.Echo(Shorten(value));
            masked.Add(KeyValuePair.Create("value", shownValue ?? string.Empty));
            group.Examples.Add(new ValidationIssue(
                definition.Code,
                definition.Severity,
                ErrorDefinition.Fill(definition.MessageTemplate, masked),
                ErrorDefinition.Fill(definition.FixTemplate, masked),
                Echo(location),
                shownValue,
                SubmitterText.EchoOrNull(rowKey)));
        }

        _groups[definition.Code] = group;
    }

    public int CountOf(string code) => _groups.TryGetValue(code, out var group) ? group.Count : 0;

    /// <summary>The groups, errors first then warnings, each by code.</summary>
    public IReadOnlyList<IssueGroup> Groups() =>
        [.. _groups.Values
            .OrderBy(g => g.Definition.Severity)
            .ThenBy(g => g.Definition.Code, StringComparer.Ordinal)
            .Select(g => new IssueGroup(g.Definition.Code, g.Definition.Severity, g.Definition.Title, g.Count, g.Examples))];

    private static IssueLocation Echo(IssueLocation location) => location with
    {
        JsonPointer = SubmitterText.EchoOrNull(location.JsonPointer),
        Column = SubmitterText.EchoOrNull(location.Column),
        Sheet = SubmitterText.EchoOrNull(location.Sheet),
    };

    /// <summary>Values are echoed for recognition, not in full: very long cells are cut.</summary>
    private static string Shorten(string value) => value.Length <= 80 ? value : string.Concat(value.AsSpan(0, 77), "...");
}

internal static class Args
{
    public static KeyValuePair<string, string> Of(string name, string value) => KeyValuePair.Create(name, value);

    public static KeyValuePair<string, string> Of(string name, long value) =>
        KeyValuePair.Create(name, value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
}
