using System.Globalization;
using Pipeline.Core.Alerts;
using Pipeline.Core.Text.AlertEmails;
using Pipeline.Core.Alerts.Routing;
using Pipeline.Core.Reference;
using Pipeline.Core.Statistics;
using Pipeline.Core.Tests.Approval;

namespace Pipeline.Core.Tests.Alerts.Rendering;

public class AlertEmailRendererTests
{
    private const string ApprovedFolder = "tests/Pipeline.Core.Tests/Alerts/Rendering/Approved";
    private readonly AlertEmailRenderer _renderer = new(ReferenceData.Embedded);

    [Fact]
    public void The_monthly_email_html_matches_the_approved_file()
    {
        var email = _renderer.Render(AlertEmailExample.OctoberGroup());

        Approvals.Verify(email.Email.Html, ApprovedFolder, "lmns_month", "html");
    }

    [Fact]
    public void The_monthly_email_text_alternative_matches_the_approved_file()
    {
        var email = _renderer.Render(AlertEmailExample.OctoberGroup());

        Approvals.Verify($"Subject: {email.Email.Subject}\n\n{email.Email.Text}", ApprovedFolder, "lmns_month", "txt");
    }

    [Fact]
    public void The_digest_subject_names_the_lmns_the_month_and_counts_each_kind_of_card_once()
    {
        var subject = _renderer.Render(AlertEmailExample.OctoberGroup()).Email.Subject;

        Assert.Equal(
            "Maternity equity digest: Greater Manchester LMNS (QOP), October 2026: "
            + "1 new, 1 escalated, 1 resolved, 1 reminder, 1 data-quality problem, 1 missing submission",
            subject);
    }

    [Fact]
    public void The_one_email_of_the_run_holds_every_kind_of_change_for_its_recipients()
    {
        var group = AlertEmailExample.OctoberGroup();

        Assert.Equal(["gm.lmns.lead@nhs.example", "gm.lmns.analyst@nhs.example"], group.Recipients.Select(r => r.Email));
        Assert.Equal(
            [NoticeKind.New, NoticeKind.New, NoticeKind.New, NoticeKind.Escalated, NoticeKind.Resolved, NoticeKind.Reminder],
            group.Notices.Select(n => n.Kind));
        Assert.Equal("RM3", Assert.Single(group.Withheld).Signal.Fingerprint.OrganisationCode);
    }

    [Fact]
    public void The_forest_plot_has_one_row_per_firing_ratio_alert_with_its_95_percent_ci_unless_a_count_is_suppressed()
    {
        var plot = _renderer.Render(AlertEmailExample.OctoberGroup()).Plot!;

        // R0A's Black stillbirths rest on 6 events: their ratio is not published, in the chart as in the text.
        Assert.Equal(["R0A smoking_at_booking IMD quintile 1"], plot.Rows.Select(r => r.Label));
        Assert.All(plot.Rows, r => Assert.True(r.Lower < r.Ratio && r.Ratio < r.Upper));
    }

    [Fact]
    public void A_trusts_data_quality_findings_on_one_field_share_one_card_with_shares_from_rounded_counts()
    {
        var group = AlertEmailExample.OctoberGroup(
            AlertEmailExample.UnknownEthnicity("stillbirth", 230, 1000),
            AlertEmailExample.UnknownEthnicity("smoking_at_booking", 212, 1003));

        var text = _renderer.Render(group).Email.Text;

        var findings = group.Notices.Count(n => n.Alert.Fingerprint.Rule == AlertRule.DataQuality && n.Kind == NoticeKind.New);
        Assert.True(findings >= 2);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"ethnicity not recorded well enough ({findings} indicators)"), text, StringComparison.Ordinal);
        Assert.Contains("organisation|R0A|*|ethnic_group|unknown|data_quality", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Alert id: organisation|R0A|stillbirth|ethnic_group|unknown|data_quality", text, StringComparison.Ordinal);
        // 212 of 1,003 is 21.1% raw but 20.9% from the published (rounded) counts 210 of 1,005.
        Assert.Contains("20.9% to 23.0% of each indicator's window", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ratio_alert_says_what_its_window_could_detect_from_the_published_counts_and_withholds_it_when_a_count_is_small()
    {
        // Raw 2,403 births and 31 of 9,002 reference deaths are published as 2,405 and 30 of 9,000: the ratio shown is
        // recomputed from those, so it cannot give the raw counts back (docs/disclosure.md).
        var published = MinimumDetectableRatio.Compute(2405, 30, 9000, lowerIsWorse: false, Confidence.Alarm, 1.25, 5)!.Value;
        var raw = MinimumDetectableRatio.Compute(2403, 31, 9002, lowerIsWorse: false, Confidence.Alarm, 1.25, 5)!.Value;
        Assert.NotEqual(Format(published), Format(raw));
        var asian = AlertEmailExample.Ratio("neonatal_death", "Asian", "2026-10", 9, 2403, 31, 9002);
        var mixed = AlertEmailExample.Ratio("neonatal_death", "Mixed", "2026-10", 9, 700, 6, 9000);

        var text = _renderer.Render(AlertEmailExample.OctoberGroup(asian, mixed)).Email.Text;

        Assert.True(published > 2, $"MDR {published}");
        Assert.Contains(
            $"could not have detected a doubling: the smallest ratio this 12-month window could alert on is {Format(published)} " +
            "(a gap that size is alerted about half the time)",
            text,
            StringComparison.Ordinal);
        Assert.DoesNotContain($"could alert on is {Format(raw)} ", text, StringComparison.Ordinal);
        // 6 reference events: suppressed, so the value is withheld; no count from 1 to 7 could have shown a doubling.
        Assert.Contains(
            "could not have detected a doubling: the smallest ratio this 12-month window could alert on is withheld " +
            "(fewer than 8 events in a count it rests on)",
            text,
            StringComparison.Ordinal);
    }

    private static string Format(double ratio) => ratio.ToString("0.0#", CultureInfo.InvariantCulture);

    [Fact]
    public void Every_string_from_a_submission_is_html_escaped()
    {
        var hostile = AlertEmailExample.Ratio("stillbirth", "<script>alert('x')</script>", "2026-10", 30, 900, 41, 9870) is var s
            ? s with { Evidence = s.Evidence with { RuleText = "a < b & \"c\"\r\nBcc: someone@example.com" } }
            : null!;

        var email = _renderer.Render(AlertEmailExample.OctoberGroup(hostile)).Email;

        Assert.DoesNotContain("<script>", email.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", email.Html, StringComparison.Ordinal);
        Assert.Contains("a &lt; b &amp; &quot;c&quot;  Bcc: someone@example.com", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("\nBcc:", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void No_count_between_1_and_7_appears_in_the_html_or_the_text()
    {
        var email = _renderer.Render(AlertEmailExample.OctoberGroup()).Email;

        foreach (var part in new[] { email.Html, email.Text })
        {
            var counts = DisclosureScan.Counts(part);
            Assert.True(counts.Count >= 8, $"expected the example's count pairs, found {counts.Count}: the scan is not looking at the right text");
            Assert.Empty(DisclosureScan.Violations(part));
        }

        Assert.Contains("counts: * of 830", email.Text, StringComparison.Ordinal);
        Assert.Contains("rate not shown (fewer than 8 events)", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_disclosure_scan_catches_a_small_or_unrounded_count()
    {
        Assert.Equal(["3"], DisclosureScan.Violations("<td>counts: 3 of 140</td>"));
        Assert.Equal(["142"], DisclosureScan.Violations("counts: 10 of 142"));
        Assert.Equal(["6"], DisclosureScan.Violations("there were 6 stillbirths"));
        Assert.Equal(["4"], DisclosureScan.Violations("numerator: 4"));
        Assert.Empty(DisclosureScan.Violations("counts: * of 140; counts: 0 of 1,235; 15 births"));
        Assert.Empty(DisclosureScan.Violations("both groups have ≥ 5 events; fewer than 8 events; at least 5 events; 1,000 births"));
    }

    [Fact]
    public void An_email_with_nothing_to_plot_has_no_chart_and_no_image_reference()
    {
        var late = AlertInputs.LateSubmissions(ReferenceData.Embedded, Pipeline.Core.Model.Period.Parse("2026-10"), new HashSet<string>(), new DateOnly(2026, 11, 15));
        var decision = AlertEngine.Evaluate(late, [], [], DateTimeOffset.UnixEpoch);
        var group = AlertGrouping.Group(decision, AlertEmailExample.Directory()).Groups.Single(g => g.Route.Code == "QOP");

        var email = _renderer.Render(group);

        Assert.Null(email.Plot);
        Assert.DoesNotContain("<img", email.Email.Html, StringComparison.Ordinal);
        Assert.Equal("Maternity equity: action needed, Greater Manchester LMNS (QOP): 6 missing submissions", email.Email.Subject);
    }
}
