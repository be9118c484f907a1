using Pipeline.App.Reporting;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Text.AlertEmails;

namespace Pipeline.App.Tests.Notifications;

/// <summary>An alert email's "Full report" points where the report service publishes that LMNS's report for that month.</summary>
public sealed class ReportLinkTests
{
    [Fact]
    public void The_emails_full_report_link_is_the_key_the_report_is_written_to()
    {
        var group = Core.Tests.Alerts.AlertEmailExample.OctoberGroup();
        var text = new AlertEmailRenderer(ReferenceData.Embedded).Render(group).Email.Text;

        var link = text.Split('\n').Single(l => l.StartsWith("Full report: ", StringComparison.Ordinal))["Full report: ".Length..].Trim();

        Assert.Equal(EquityReportService.ReportKey(group.Route.Code, group.Period), link);
    }
}
