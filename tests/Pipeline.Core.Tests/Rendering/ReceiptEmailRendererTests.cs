using Pipeline.Core.Model;
using Pipeline.Core.Text.Email;
using Pipeline.Core.Tests.Approval;

namespace Pipeline.Core.Tests.Rendering;

public class ReceiptEmailRendererTests
{
    private const string ApprovedFolder = "tests/Pipeline.Core.Tests/Rendering/Approved";

    private static readonly SubmissionReceipt Rejected = new(
        "9f2c1d0e",
        "R0A <October>.csv",
        "R0A",
        Period.Parse("2026-10"),
        ReceiptOutcome.Rejected,
        ErrorCount: 3,
        WarningCount: 1,
        [
            "E012 line 14, column numerator: 'twelve' is not a whole number. Enter the count as digits, e.g. 12.",
            "E031 stillbirth / ethnic_category: the groups' denominators sum to 1,178 but the total row says 1,180. Make every group add up to the total.",
        ],
        "reports/R0A/2026-10/9f2c1d0e.html");

    [Theory]
    [InlineData(ReceiptOutcome.Accepted)]
    [InlineData(ReceiptOutcome.AcceptedWithWarnings)]
    [InlineData(ReceiptOutcome.Rejected)]
    public void Each_receipt_outcome_matches_its_approved_text(ReceiptOutcome outcome)
    {
        var receipt = outcome == ReceiptOutcome.Accepted ? Rejected with { Outcome = outcome, ErrorCount = 0, WarningCount = 0, TopIssues = [] }
            : outcome == ReceiptOutcome.AcceptedWithWarnings ? Rejected with { Outcome = outcome, ErrorCount = 0, WarningCount = 1, TopIssues = ["W001 ethnicity not stated for 12.5% of births (limit 10%)."] }
            : Rejected;

        var email = ReceiptEmailRenderer.Render(receipt);

        Approvals.Verify($"Subject: {email.Subject}\n\n{email.Text}", ApprovedFolder, $"receipt_{outcome}", "txt");
    }

    [Fact]
    public void The_rejected_receipt_html_matches_the_approved_file_with_the_file_name_escaped()
    {
        var email = ReceiptEmailRenderer.Render(Rejected);

        Approvals.Verify(email.Html, ApprovedFolder, "receipt_Rejected", "html");
        Assert.Contains("R0A &lt;October&gt;.csv", email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_receipt_has_one_notification_id_per_submission_and_outcome()
    {
        Assert.Equal(ReceiptEmailRenderer.NotificationIdFor(Rejected), ReceiptEmailRenderer.NotificationIdFor(Rejected with { TopIssues = [] }));
        Assert.NotEqual(ReceiptEmailRenderer.NotificationIdFor(Rejected), ReceiptEmailRenderer.NotificationIdFor(Rejected with { SubmissionId = "other" }));
    }
}
