using System.Globalization;
using System.Net;
using System.Text;
using Pipeline.Core.Validation;

namespace Pipeline.Core.Text.Receipts;

/// <summary>
/// The report as one self-contained HTML page (inline style, no scripts, no external resources) for a trust analyst:
/// the verdict first, then each problem code with its count, examples (where, row, value, what is wrong, how to fix)
/// and how many more were not listed. Every string that came from the submission is HTML-escaped.
/// </summary>
public static class ReceiptHtml
{
    private const string Style = """
        body{font-family:Arial,Helvetica,sans-serif;margin:2em;color:#212b32;max-width:1100px}
        h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}
        .outcome{display:inline-block;padding:.3em .8em;border-radius:4px;font-weight:bold;color:#fff}
        .accepted{background:#007f3b}.accepted_with_warnings{background:#b35900}.rejected{background:#d5281b}
        table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #d8dde0;padding:.35em .5em;text-align:left;vertical-align:top}
        th{background:#f0f4f5}code{background:#f0f4f5;padding:0 .2em}.more{color:#4c6272;font-style:italic}
        dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:bold}dd{margin:0}
        """;

    /// <summary>Where receipts point for the codes and the submission contract when no deployment link is configured.</summary>
    public const string DefaultContractUrl = "https://maternity-equity.nhs.example/docs/errors.md";

    /// <param name="facts">When the file arrived against the deadline and, when accepted, its totals and what it replaced.</param>
    /// <param name="contractUrl">The published contract (docs/errors.md); each code links to its section (<c>#e012</c>).</param>
    public static string Render(ValidationReport report, ReceiptFacts? facts = null, string contractUrl = DefaultContractUrl)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Validation report: ")
            .Append(E(report.FileName)).Append("</title>\n<style>").Append(Style).Append("</style>\n</head>\n<body>\n");
        html.Append("<h1>Validation report for <code>").Append(E(report.FileName)).Append("</code></h1>\n");
        html.Append("<p><span class=\"outcome ").Append(OutcomeClass(report.Outcome)).Append("\">").Append(OutcomeText(report.Outcome)).Append("</span> ")
            .Append(E(Summary(report))).Append("</p>\n");
        html.Append("<dl>\n");
        Item(html, "Organisation", report.OrganisationCode ?? "not given");
        Item(html, "Reporting period", report.ReportingPeriod ?? "not given");
        Item(html, "Submitted by", report.SubmittedBy ?? "not given");
        Item(html, "Format", report.Format.ToUpperInvariant());
        Item(html, "Size", ErrorCatalogue.Bytes(report.SizeBytes));
        Item(html, "Measure rows", report.RowCount.ToString("N0", CultureInfo.InvariantCulture));
        if (facts is not null)
        {
            Item(html, "Received", facts.Timeliness);
            if (facts.Totals is { } totals)
            {
                Item(html, "Totals", totals.Describe());
            }

            if (facts.Replacement is { } replacement)
            {
                Item(html, "Replaces", replacement);
            }
        }

        html.Append("</dl>\n");
        if (facts?.Totals is { Indicators.Count: > 0 } accepted)
        {
            html.Append("<h2>Totals by indicator</h2>\n<table>\n")
                .Append("<tr><th>Indicator</th><th>Numerator (total row)</th><th>Denominator (total row)</th></tr>\n");
            foreach (var indicator in accepted.Indicators)
            {
                html.Append("<tr><td><code>").Append(E(indicator.IndicatorCode)).Append("</code></td><td>")
                    .Append(indicator.Numerator.ToString("N0", CultureInfo.InvariantCulture)).Append("</td><td>")
                    .Append(indicator.Denominator.ToString("N0", CultureInfo.InvariantCulture)).Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        if (report.Groups.Count > 0)
        {
            html.Append("<h2>Summary</h2>\n<table>\n<tr><th>Code</th><th>Severity</th><th>Problem</th><th>Count</th></tr>\n");
            foreach (var group in report.Groups)
            {
                html.Append("<tr><td><a href=\"#").Append(E(group.Code)).Append("\">").Append(E(group.Code)).Append("</a></td><td>")
                    .Append(group.Severity == Severity.Error ? "error" : "warning").Append("</td><td>").Append(E(group.Title)).Append("</td><td>")
                    .Append(group.Count.ToString("N0", CultureInfo.InvariantCulture)).Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        foreach (var group in report.Groups)
        {
            html.Append("<h2 id=\"").Append(E(group.Code)).Append("\"><a href=\"").Append(E(CodeLink(contractUrl, group.Code)))
                .Append("\">")
                .Append(E(group.Code)).Append("</a>: ").Append(E(group.Title))
                .Append(" (").Append(group.Count.ToString("N0", CultureInfo.InvariantCulture)).Append(")</h2>\n");
            html.Append("<table>\n<tr><th>Where</th><th>Row</th><th>Value</th><th>What is wrong</th><th>How to fix it</th></tr>\n");
            foreach (var issue in group.Examples)
            {
                html.Append("<tr><td>").Append(E(IssueLocationText.Describe(issue.Location))).Append("</td><td>").Append(E(issue.RowKey ?? string.Empty))
                    .Append("</td><td>").Append(issue.Value is null ? string.Empty : "<code>" + E(issue.Value) + "</code>")
                    .Append("</td><td>").Append(E(issue.Message)).Append("</td><td>").Append(E(issue.Fix)).Append("</td></tr>\n");
            }

            html.Append("</table>\n");
            if (group.Truncated)
            {
                html.Append("<p class=\"more\">Truncated: ").Append(group.Omitted.ToString("N0", CultureInfo.InvariantCulture))
                    .Append(" more not shown (the first ").Append(group.Examples.Count.ToString(CultureInfo.InvariantCulture)).Append(" are listed).</p>\n");
            }
        }

        html.Append("<p class=\"more\">Every error and warning code, and the submission contract, is explained at <a href=\"")
            .Append(E(contractUrl)).Append("\">")
            .Append(E(contractUrl)).Append("</a>.</p>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>The code's section of the contract page: docs/errors.md has one <c>## E012</c> heading per code.</summary>
    public static string CodeLink(string contractUrl, string code)
    {
        ArgumentNullException.ThrowIfNull(contractUrl);
        ArgumentNullException.ThrowIfNull(code);
        return contractUrl.Contains('#', StringComparison.Ordinal) ? contractUrl : contractUrl + "#" + code.ToLowerInvariant();
    }

    /// <summary>One line: "3 errors, 1 warning" or "no problems found".</summary>
    public static string Summary(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.ErrorCount == 0 && report.WarningCount == 0)
        {
            return "No problems found.";
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{report.ErrorCount:N0} error{(report.ErrorCount == 1 ? string.Empty : "s")}, {report.WarningCount:N0} warning{(report.WarningCount == 1 ? string.Empty : "s")}.");
    }

    public static string OutcomeText(ValidationOutcome outcome) => outcome switch
    {
        ValidationOutcome.Accepted => "Accepted",
        ValidationOutcome.AcceptedWithWarnings => "Accepted with warnings",
        _ => "Rejected",
    };

    private static string OutcomeClass(ValidationOutcome outcome) => outcome switch
    {
        ValidationOutcome.Accepted => "accepted",
        ValidationOutcome.AcceptedWithWarnings => "accepted_with_warnings",
        _ => "rejected",
    };

    private static void Item(StringBuilder html, string term, string value) =>
        html.Append("<dt>").Append(E(term)).Append("</dt><dd>").Append(E(value)).Append("</dd>\n");

    // HtmlEncode leaves control characters as they are; a submitted value may hold any (terminal escapes, NUL), so they are
    // shown as their code point instead of being written raw into the page.
    private static string E(string text) => WebUtility.HtmlEncode(
        text.Any(char.IsControl) ? string.Concat(text.Select(c => char.IsControl(c) && c is not ('\n' or '\t') ? "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) : c.ToString())) : text);
}
