using System.Text;

namespace Pipeline.Core.Validation;

/// <summary>The error catalogue as the Markdown page <c>docs/errors.md</c> (generated; a test keeps the file in step).</summary>
public static class ErrorCatalogueMarkdown
{
    public const string RegenerateCommand =
        "UPDATE_DOCS=1 dotnet test tests/Pipeline.Core.Tests --filter FullyQualifiedName~ErrorCatalogueTests";

    public static string Render()
    {
        var text = new StringBuilder();
        text.Append("# Validation errors and warnings\n\n")
            .Append("<!-- Generated from src/Pipeline.Core/Validation/ErrorCatalogue.cs. Do not edit by hand: change the catalogue, then run\n")
            .Append("     ").Append(RegenerateCommand).Append("\n     (the same test fails while this file is out of date). -->\n\n")
            .Append("Every problem the validator reports has a stable code. **Errors** (`E…`) reject the file: nothing is loaded and the\n")
            .Append("receipt says what to fix. **Warnings** (`W…`) accept the file but flag data quality that weakens equity analysis.\n")
            .Append("Codes are never reused or renumbered. In messages, `{name}` is filled in with the file's own values; values that\n")
            .Append("look like NHS numbers or postcodes are masked (`943*******`, `LS1 ***`).\n\n")
            .Append("Every issue carries its location as the submitter sees the file: a JSON pointer (`/measures/12/numerator`) for\n")
            .Append("JSON; the line number and column name for CSV; the sheet and A1 cell for XLSX. Reports list up to 50 examples per\n")
            .Append("code with the total count, and say how many more were not listed.\n\n")
            .Append("| code | severity | stage | title |\n|---|---|---|---|\n");
        foreach (var d in ErrorCatalogue.All)
        {
            text.Append("| [").Append(d.Code).Append("](#").Append(d.Code.ToLowerInvariant()).Append(") | ")
                .Append(d.Severity == Severity.Error ? "error" : "warning").Append(" | ").Append(d.Stage).Append(" | ").Append(d.Title).Append(" |\n");
        }

        foreach (var d in ErrorCatalogue.All)
        {
            text.Append("\n## ").Append(d.Code).Append("\n\n**").Append(d.Title).Append("** (").Append(d.Severity == Severity.Error ? "error" : "warning")
                .Append(", ").Append(d.Stage).Append(")\n\n")
                .Append("- Message: ").Append(d.MessageTemplate).Append('\n')
                .Append("- Fix: ").Append(d.FixTemplate == "{hint}" ? "the field's own fix, from [Fixes by field](#fixes-by-field)" : d.FixTemplate).Append('\n');
        }

        text.Append("\n## Fixes by field\n\nSchema errors (E101-E105) and E208 give the fix for the field or breakdown concerned:\n\n| field | fix |\n|---|---|\n");
        foreach (var field in Submissions.Reading.SubmissionFields.Envelope.Concat(Submissions.Reading.SubmissionFields.Measure))
        {
            text.Append("| `").Append(field).Append("` | ").Append(FieldGuide.Hint(field)).Append(" |\n");
        }

        foreach (var breakdown in Enum.GetValues<Model.Breakdown>())
        {
            text.Append("| `group` of `").Append(Model.BreakdownNames.ToWire(breakdown)).Append("` | ").Append(FieldGuide.GroupHint(breakdown)).Append(" |\n");
        }

        text.Append("\nA count that is not a whole number gets advice for what it looks like: a percentage (`12.5%`), a rate (`12.5`), ")
            .Append("a thousands separator (`1,180`, `1 180`) or a suppression mark (`*`, `<5`, `n/a`): send the actual count, however small.\n");
        return text.ToString();
    }
}
