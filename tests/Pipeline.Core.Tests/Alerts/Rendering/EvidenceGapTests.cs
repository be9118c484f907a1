using System.Globalization;
using System.Text.RegularExpressions;
using Pipeline.Core.Reference;
using Pipeline.Core.Text.AlertEmails;

namespace Pipeline.Core.Tests.Alerts.Rendering;

/// <summary>The gap an alert card leads with is exactly the difference of the two rates it prints, in their own units.</summary>
public sealed partial class EvidenceGapTests
{
    [Fact]
    public void Every_gap_is_the_printed_group_rate_minus_the_printed_reference_rate()
    {
        var text = new AlertEmailRenderer(ReferenceData.Embedded).Render(AlertEmailExample.OctoberGroup()).Email.Text;
        var cards = text.Split("\n* ", StringSplitOptions.None).Where(c => c.Contains("  Gap: ", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(cards);
        foreach (var card in cards)
        {
            var rates = RateLine().Matches(card).Select(m => decimal.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
            var gap = GapLine().Match(card);
            Assert.Equal(2, rates.Count);
            var expected = rates[0] - rates[1];
            var shown = decimal.Parse(gap.Groups[1].Value, CultureInfo.InvariantCulture) * (gap.Groups[2].Value == "higher" ? 1 : -1);
            Assert.Equal(expected, shown);
            var ratioAt = card.IndexOf("  Ratio to reference: ", StringComparison.Ordinal);
            Assert.True(card.IndexOf("  Gap: ", StringComparison.Ordinal) < ratioAt, "the gap leads, the ratio stands beside it");
        }
    }

    [Fact]
    public void A_ratio_resting_on_fewer_than_5_events_is_shown_but_not_as_a_finding()
    {
        var zero = AlertEmailExample.Ratio("preterm_birth", "Mixed", "2026-10", 0, 400, 600, 9000, Core.Alerts.AlertSeverity.Watch);
        var text = new AlertEmailRenderer(ReferenceData.Embedded).Render(AlertEmailExample.OctoberGroup(zero)).Email.Text;

        var card = Assert.Single(text.Split("\n* "), c => c.Contains("|preterm_birth|ethnic_group|Mixed|ratio", StringComparison.Ordinal));
        Assert.Matches(@"Ratio to reference: [0-9.]+;.* \(not a finding on its own: fewer than 5 events in a group\)", card);
        Assert.DoesNotContain("not a finding", text.Replace(card, string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^  [^:\n]+: ([0-9.]+)(?:%| per 1,000) \(95% CI", RegexOptions.Multiline)]
    private static partial Regex RateLine();

    [GeneratedRegex(@"^  Gap: ([0-9.]+) (?:percentage points|per 1,000) (higher|lower)", RegexOptions.Multiline)]
    private static partial Regex GapLine();
}
