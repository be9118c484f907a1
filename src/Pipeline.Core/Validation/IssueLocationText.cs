using System.Globalization;

namespace Pipeline.Core.Validation;

/// <summary>A location in the words a submitter uses: "line 14, column numerator", "sheet measures, cell F14", "/measures/12/numerator".</summary>
public static class IssueLocationText
{
    public static string Describe(IssueLocation location)
    {
        var parts = new List<string>(3);
        if (location.Sheet is not null)
        {
            parts.Add($"sheet '{location.Sheet}'");
            if (location.Cell is not null)
            {
                parts.Add("cell " + location.Cell);
            }
            else if (location.Line is { } row)
            {
                parts.Add("row " + row.ToString(CultureInfo.InvariantCulture));
            }
        }
        else if (location.Line is { } line)
        {
            parts.Add("line " + line.ToString(CultureInfo.InvariantCulture));
        }

        if (location.Column is not null)
        {
            parts.Add($"column '{location.Column}'");
        }

        if (parts.Count == 0 && location.JsonPointer is not null)
        {
            parts.Add(location.JsonPointer.Length == 0 ? "the whole document" : location.JsonPointer);
        }

        return parts.Count == 0 ? "the whole file" : string.Join(", ", parts);
    }
}
