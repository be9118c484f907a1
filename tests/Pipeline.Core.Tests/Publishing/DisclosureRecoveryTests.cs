using Pipeline.Core.Alerts;
using Pipeline.Core.Text.AlertEmails;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Publishing;
using Pipeline.Core.Reference;
using Pipeline.Core.Reporting;
using Pipeline.Core.Text.Reports;
using Pipeline.Core.Statistics;

namespace Pipeline.Core.Tests.Publishing;

/// <summary>
/// An adversary who knows everything but one group's count, and reads every figure the outputs publish about it (the
/// report's value text, the email's evidence lines, the data-quality sentence), tries to work the count out: for each true
/// count they list the counts that would have produced exactly the same text. Recovery succeeds when only one does.
/// </summary>
public class DisclosureRecoveryTests
{
    private static readonly ReportIndicator Percentage = new("booking_by_10_weeks", "Booking by 10 weeks", 100, Polarity.HigherIsBetter);
    private static readonly ReportIndicator PerThousand = new("stillbirth", "Stillbirths", 1000, Polarity.HigherIsWorse);

    public static TheoryData<int, int> Cases() => new()
    {
        { 100, 5 }, { 100, 12 }, { 100, 30 }, { 100, 61 }, { 100, 250 },
        { 1000, 30 }, { 1000, 140 }, { 1000, 1180 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void No_published_figure_narrows_a_count_below_what_rounding_to_5_and_star_already_say(int multiplier, int denominator)
    {
        var published = Enumerable.Range(0, denominator + 1).ToDictionary(k => k, k => Everything(multiplier, k, denominator));

        foreach (var (count, text) in published)
        {
            var candidates = published.Where(p => p.Value == text).Select(p => p.Key).ToList();
            if (count == 0)
            {
                continue; // zero is published as 0: knowing there were none discloses nobody
            }

            Assert.True(candidates.Count > 1, $"{count} of {denominator} is recoverable from:{Environment.NewLine}{text}");
            if (Disclosure.IsSmallNumber(count))
            {
                Assert.All(Enumerable.Range(1, Disclosure.SmallNumberLimit).Where(k => k <= denominator), k => Assert.Contains(k, candidates));
            }
        }
    }

    [Fact]
    public void The_published_interval_for_2_of_5_is_not_wilsons_interval_for_2_of_5()
    {
        var wilson = WilsonScore.Interval(2, 5, 0.95)!.Value;

        var text = Everything(100, 2, 5);

        Assert.DoesNotContain((wilson.Lower * 100).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        Assert.DoesNotContain((wilson.Upper * 100).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
    }

    /// <summary>Every text an output publishes about a group with <paramref name="count"/> events of <paramref name="denominator"/>.</summary>
    private static string Everything(int multiplier, long count, long denominator)
    {
        var indicator = multiplier == 1000 ? PerThousand : Percentage;
        var evidence = new AlertEvidence
        {
            WindowMonths = 12,
            WindowEnd = new Period(2026, 10),
            Multiplier = multiplier,
            Numerator = count,
            Denominator = denominator,
            ReferenceGroupCode = "White",
            ReferenceNumerator = 400,
            ReferenceDenominator = 4000,
            RuleText = "ratio rule",
        };
        var email = EvidenceFormatter.Lines(evidence, null, AlertRule.Ratio, "Black", "White").Select(l => $"{l.Label}: {l.Value}");
        return string.Join(Environment.NewLine,
        [
            EquityReportText.Value(indicator, count, denominator),
            .. email,
            DataQualityText.Sentence(ComparisonBreakdown.EthnicGroup, count, denominator, 12, 0.1),
        ]);
    }
}
