using System.Globalization;
using Pipeline.Core.Validation;

namespace Pipeline.Core.Text.Receipts;

/// <summary>
/// The report as plain text (terminal, plain-text email): verdict line, then each code with its count and examples
/// (where, row, value, what is wrong, how to fix), and how many more were not listed.
/// </summary>
public static class ReceiptText
{
    /// <param name="drop">Where the file was dropped, when known: it names the trust and month a file failed to give.</param>
    public static string Render(ValidationReport report, Model.DropPath? drop = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new System.Text.StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        var organisation = report.OrganisationCode ?? (drop is null ? "not given" : $"not given (the folder says {drop.OrganisationCode})");
        var period = report.ReportingPeriod ?? (drop is null ? "not given" : $"not given (the folder says {drop.ReportingPeriod})");
        text.Append(inv, $"{report.FileName}: {ReceiptHtml.OutcomeText(report.Outcome).ToUpperInvariant()} ({ReceiptHtml.Summary(report).TrimEnd('.')})");
        var rows = report.RowCount == 1 ? "row" : "rows";
        text.Append(inv, $" organisation {organisation}, period {period}, {report.RowCount:N0} {rows}\n");
        foreach (var group in report.Groups)
        {
            text.Append(inv, $"  {group.Code} {group.Title} ({group.Count:N0}, {(group.Severity == Severity.Error ? "error" : "warning")})\n");
            foreach (var issue in group.Examples)
            {
                text.Append("    at ").Append(IssueLocationText.Describe(issue.Location));
                if (issue.RowKey is not null)
                {
                    text.Append(" [").Append(issue.RowKey).Append(']');
                }

                if (issue.Value is not null)
                {
                    text.Append(" value '").Append(issue.Value).Append('\'');
                }

                text.Append("\n      ").Append(issue.Message).Append("\n      Fix: ").Append(issue.Fix).Append('\n');
            }

            if (group.Truncated)
            {
                text.Append(inv, $"    truncated: {group.Omitted:N0} more not shown\n");
            }
        }

        return text.ToString();
    }
}
