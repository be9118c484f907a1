using Pipeline.Core.Model;
using Pipeline.Core.Notifications;
using Pipeline.Core.Text.Email;
using Pipeline.Core.Text.Receipts;
using Pipeline.Core.Validation;

namespace Pipeline.App.Notifications;

/// <summary>
/// The receipt emailed to the submitter (<c>submitted_by</c>): accepted, accepted with warnings, or rejected with the first
/// issues and where the full report is. No receipt when the file names no submitter (or not an email address).
/// </summary>
public static class SubmissionReceipts
{
    /// <summary>Issues quoted in the email; the report has the rest.</summary>
    public const int TopIssueCount = 5;

    public static IReadOnlyList<Notification> For(
        string submissionId, string fileName, string organisationCode, Period period, ValidationReport report, string reportPath,
            DateTimeOffset now,
        ReceiptFacts? facts = null, string? contractUrl = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.SubmittedBy is not { } submitter || !LooksLikeEmail(submitter))
        {
            return [];
        }

        var outcome = !report.IsAccepted ? ReceiptOutcome.Rejected
            : report.WarningCount > 0 ? ReceiptOutcome.AcceptedWithWarnings
            : ReceiptOutcome.Accepted;
        var issues = report.Groups
            .OrderBy(g => g.Severity == Severity.Error ? 0 : 1)
            .SelectMany(g => g.Examples)
            .Take(TopIssueCount)
            .Select(i => $"{i.Code} ({IssueLocationText.Describe(i.Location)}): {i.Message} {i.Fix}".Trim())
            .ToList();
        var receipt = new SubmissionReceipt(submissionId, SubmitterText.Echo(fileName), organisationCode, period, outcome,
            report.ErrorCount, report.WarningCount, issues, reportPath)
        {
            Received = facts?.Timeliness,
            Totals = facts?.Totals?.Describe(),
            Replaces = facts?.Replacement,
            ContractUrl = contractUrl,
        };
        return [NotificationComposer.ForReceipt(receipt, new Recipient(submitter.Trim(), submitter.Trim()), now)];
    }

    private static bool LooksLikeEmail(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < text.Length - 1 && !text.Any(char.IsWhiteSpace) && text.Length <= 320;
    }
}
