using System.Text.RegularExpressions;
using Pipeline.Core.Alerts;
using Pipeline.Core.Text.AlertEmails;

namespace Pipeline.Core.Tests.Alerts.Rendering;

/// <summary>Each alert card asks the lead for something, and the silence command it quotes silences that very alert.</summary>
public sealed partial class LeadActionsTests
{
    [Fact]
    public void Every_card_of_the_monthly_email_says_what_is_asked_of_the_lead()
    {
        var group = AlertEmailExample.OctoberGroup();
        var text = new AlertEmailRenderer(Pipeline.Core.Reference.ReferenceData.Embedded).Render(group).Email.Text;

        var cards = Regex.Count(text, @"^  Severity:", RegexOptions.Multiline);
        var asks = Regex.Count(text, @"^  What we ask:", RegexOptions.Multiline);

        Assert.True(cards > 0);
        Assert.Equal(cards, asks);
    }

    [Fact]
    public void The_quoted_silence_pattern_matches_the_alert_it_is_printed_under()
    {
        foreach (var notice in AlertEmailExample.OctoberGroup().Notices.Where(n => n.Kind != NoticeKind.Resolved))
        {
            var ask = LeadActions.For(notice, "a trust");
            if (QuotedPattern().Match(ask) is { Success: true } quoted)
            {
                var matcher = SilenceMatcher.TryParse(quoted.Groups[1].Value);
                Assert.NotNull(matcher);
                Assert.True(matcher.Matches(notice.Alert.Fingerprint), $"'{quoted.Groups[1].Value}' does not silence it");
            }
        }
    }

    [Fact]
    public void A_resolved_alert_asks_for_nothing_and_a_late_file_asks_for_the_file()
    {
        var notices = AlertEmailExample.OctoberGroup().Notices;

        Assert.All(
            notices.Where(n => n.Kind == NoticeKind.Resolved),
            n => Assert.StartsWith("Nothing is asked", LeadActions.For(n, "X"), StringComparison.Ordinal));
        Assert.All(notices.Where(n => n.Alert.Fingerprint.Rule == AlertRule.LateSubmission),
            n => Assert.Contains("when its file will arrive", LeadActions.For(n, "X"), StringComparison.Ordinal));
    }

    [GeneratedRegex("--match '([^']+)'")]
    private static partial Regex QuotedPattern();
}
