using System.Globalization;
using Pipeline.Core.Model;
using Pipeline.Core.Notifications;
using Pipeline.Core.Validation;

namespace Pipeline.Core.Text.Email;

public enum ReceiptOutcome
{
    Accepted,
    AcceptedWithWarnings,
    Rejected,
}

/// <summary>
/// What the submitter's receipt needs to say, kept independent of the validation report types (which live with
/// validation): the lead maps a report to this. <see cref="TopIssues"/> are ready-made plain-English lines.
/// </summary>
public sealed record SubmissionReceipt(
    string SubmissionId,
    string FileName,
    string OrganisationCode,
    Period Period,
    ReceiptOutcome Outcome,
    int ErrorCount,
    int WarningCount,
    IReadOnlyList<string> TopIssues,
    string ReportPath)
{
    /// <summary>"on time (received …; deadline …)" or "late (…)"; null when not known.</summary>
    public string? Received { get; init; }

    /// <summary>An accepted file's totals in words; null otherwise.</summary>
    public string? Totals { get; init; }

    /// <summary>Which earlier file an accepted one replaced (or which later one stays current); null otherwise.</summary>
    public string? Replaces { get; init; }

    /// <summary>The published contract (docs/errors.md) the codes are explained in.</summary>
    public string? ContractUrl { get; init; }
}

/// <summary>Renders the receipt emailed to <c>submitted_by</c>: accepted, accepted with warnings, or rejected with what to fix.</summary>
public static class ReceiptEmailRenderer
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static RenderedEmail Render(SubmissionReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var (word, meaning) = receipt.Outcome switch
        {
            ReceiptOutcome.Accepted => ("accepted", "Your file passed every check and has been loaded."),
            ReceiptOutcome.AcceptedWithWarnings => ("accepted with warnings",
                "Your file has been loaded. Please review the warnings below: they make the equity analysis less reliable."),
            _ => ("rejected", "Your file has not been loaded. Fix the errors below and upload the corrected file to the same folder."),
        };
        var lines = new List<EmailLine>
        {
            new("Organisation", receipt.OrganisationCode),
            new("Reporting period", receipt.Period.ToString()),
            new("Outcome", word),
            new("Errors", receipt.ErrorCount.ToString(Invariant)),
            new("Warnings", receipt.WarningCount.ToString(Invariant)),
            new("Full report", receipt.ReportPath),
            new("Submission id", receipt.SubmissionId),
        };
        foreach (var (label, value) in new[] { ("Received", receipt.Received), ("Totals", receipt.Totals), ("Replaces", receipt.Replaces),
            ("Codes explained at", receipt.ContractUrl) })
        {
            if (value is not null)
            {
                lines.Add(new EmailLine(label, value));
            }
        }

        var sections = new List<EmailSection> { new("Submission", [new EmailCard(receipt.FileName, lines)]) };
        if (receipt.TopIssues.Count > 0)
        {
            var total = receipt.ErrorCount + receipt.WarningCount;
            var intro = receipt.TopIssues.Count < total
                ? string.Create(Invariant, $"The first {receipt.TopIssues.Count} issues; the full report lists all {receipt.ErrorCount} error(s) and {receipt.WarningCount} warning(s).")
                : null;
            sections.Add(new EmailSection("What to look at", [new EmailCard("Issues", [.. receipt.TopIssues.Select((t, i) => new EmailLine(string.Create(Invariant, $"{i + 1}"), t))])], intro));
        }

        return EmailLayout.Render(new EmailDocument(
            $"Submission {word}: {receipt.OrganisationCode} {receipt.Period} ({receipt.FileName})",
            $"Your maternity equity submission was {word}",
            [meaning],
            sections,
            ["This is an automatic receipt from the maternity equity pipeline. Reply to your regional analyst team with any questions."]));
    }

    /// <summary>The receipt's notification id: one per submission and outcome, so a retried blob does not send a second receipt.</summary>
    public static string NotificationIdFor(SubmissionReceipt receipt) =>
        NotificationId.From(NotificationKind.Receipt, [receipt.SubmissionId, receipt.Outcome.ToString()]);
}
