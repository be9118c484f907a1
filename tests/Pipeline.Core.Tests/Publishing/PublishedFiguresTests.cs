using System.Globalization;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Pipeline.Core.Alerts;
using Pipeline.Core.Model;
using Pipeline.Core.Publishing;
using Pipeline.Core.Reference;
using Pipeline.Core.Statistics;
using Pipeline.Core.Tests.Alerts;
using Pipeline.Core.Tests.Reporting;
using Pipeline.Core.Text.AlertEmails;
using Pipeline.Core.Text.Reports;

namespace Pipeline.Core.Tests.Publishing;

/// <summary>
/// Rate, interval and ratio printed together agree (issue #15): every printed rate is the printed numerator over the printed
/// denominator to the printed precision, every printed 95% interval is Wilson's interval of the printed counts, every ratio the
/// ratio of the printed counts' rates, in the alert email and in the equity report alike (one computation: PublishedFigures).
/// </summary>
public sealed partial class PublishedFiguresTests
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// Wilson's score interval (without continuity correction) as Newcombe (1998) tabulates it, "Two-sided confidence
    /// intervals for the single proportion: comparison of seven methods", Statistics in Medicine 17:857-872, Table I, method 3.
    /// </summary>
    [Theory]
    [InlineData(81, 263, 0.2553, 0.3662)]
    [InlineData(15, 148, 0.0624, 0.1605)]
    [InlineData(0, 20, 0.0000, 0.1611)]
    [InlineData(1, 29, 0.0061, 0.1718)]
    public void The_wilson_interval_the_checks_use_matches_newcombes_published_values(int x, int n, double lower, double upper)
    {
        var (l, u) = Wilson(x, n);

        Assert.Equal(lower, Math.Round(l, 4), 4);
        Assert.Equal(upper, Math.Round(u, 4), 4);
        // And the pipeline's own implementation agrees with it.
        var pipeline = WilsonScore.Interval(x, n, Confidence.Warning)!.Value;
        Assert.Equal(l, pipeline.Lower, 12);
        Assert.Equal(u, pipeline.Upper, 12);
    }

    [Fact]
    public void The_issue_card_prints_wilsons_interval_of_10_of_125_and_the_ratio_of_the_printed_counts()
    {
        var evidence = AlertEmailExample.Ratio("booking_by_10_weeks", "Black", "2026-10", 10, 125, 250, 1250).Evidence;

        var text = Card(evidence);

        // 10 of 125 is 8.0%; its Wilson interval is 4.4% to 14.1% (not the issue's 5.5% to 15.8%); 8.0% / 20.0% = 0.40.
        Assert.Contains("8.0% (95% CI 4.4% to 14.1%); counts: 10 of 125", text, StringComparison.Ordinal);
        Assert.Contains("Ratio to reference: 0.40", text, StringComparison.Ordinal);
        AssertAgree(text);
    }

    /// <summary>Counts from the realistic example month and awkward ones (rounding lands on a half, tiny rates per 1,000).</summary>
    [Theory]
    [InlineData("stillbirth", 41, 9870, 22, 3100)]
    [InlineData("stillbirth", 19, 1020, 61, 20330)]
    [InlineData("neonatal_death", 9, 2100, 14, 9800)]
    [InlineData("preterm_birth", 12, 700, 380, 31000)]
    [InlineData("smoking_at_booking", 412, 2210, 95, 1630)]
    [InlineData("booking_by_10_weeks", 33, 48, 702, 1003)]
    [InlineData("booking_by_10_weeks", 1063, 1687, 5120, 7312)]
    [InlineData("stillbirth", 8, 2400, 23, 12_997)]
    public void Every_rate_interval_gap_and_ratio_an_email_card_prints_agrees_with_its_printed_counts(
        string indicator, long a, long n, long b, long m)
    {
        var text = Card(AlertEmailExample.Ratio(indicator, "Black", "2026-10", a, n, b, m).Evidence);

        Assert.Equal(2, AssertAgree(text));
    }

    [Fact]
    public void The_example_email_prints_only_figures_that_agree_with_its_counts()
    {
        var text = new AlertEmailRenderer(ReferenceData.Embedded).Render(AlertEmailExample.OctoberGroup()).Email.Text;

        Assert.True(AssertAgree(text) >= 3, "the example email has cards with rates");
    }

    [Fact]
    public void Every_rate_and_interval_the_report_prints_beside_counts_agrees_with_them()
    {
        var document = new HtmlParser().ParseDocument(EquityReportHtml.Render(ReportExamples.Fixed()));
        var checkedFigures = 0;
        foreach (var facts in document.QuerySelectorAll("article.signal dl.facts, details.signal dl.facts"))
        {
            var values = facts.QuerySelectorAll("dd").Select(d => d.TextContent).ToList();
            foreach (var value in values)
            {
                foreach (Match rate in ReportRate().Matches(value))
                {
                    var (numerator, denominator) = (Count(rate.Groups["n"].Value), Count(rate.Groups["d"].Value));
                    var perThousand = rate.Groups["unit"].Value == " per 1,000";
                    AssertRate(rate.Groups["v"].Value, numerator, denominator, perThousand);
                    AssertInterval(rate.Groups["lo"].Value, rate.Groups["hi"].Value, numerator, denominator, perThousand);
                    checkedFigures++;
                }
            }
        }

        Assert.True(checkedFigures >= 2, "the example report's signal panels print rates with their counts");
    }

    [Fact]
    public void Report_and_email_print_the_same_rate_and_interval_for_the_same_counts()
    {
        var indicator = new Core.Reporting.ReportIndicator("stillbirth", "Stillbirths", 1000, Polarity.HigherIsWorse);

        var report = EquityReportText.Value(indicator, 41, 9870);
        var email = Card(AlertEmailExample.Ratio("stillbirth", "Black", "2026-10", 41, 9870, 22, 3100).Evidence);

        // 40 of 9,870: 4.05 per 1,000, Wilson 2.98 to 5.51 per 1,000, in both.
        Assert.Equal("4.05 per 1,000 (95% CI 2.98–5.51)", report);
        Assert.Contains("4.05 per 1,000 (95% CI 2.98 to 5.51); counts: 40 of 9,870", email, StringComparison.Ordinal);
    }

    /// <summary>Checks every group line, gap and ratio of an email text; returns how many group lines it checked.</summary>
    private static int AssertAgree(string text)
    {
        var lines = text.Split('\n').Select(l => l.Trim()).ToList();
        var checkedLines = 0;
        (decimal Rate, long N, long D)? previous = null;
        foreach (var line in lines)
        {
            if (EmailRate().Match(line) is { Success: true } rate)
            {
                var (numerator, denominator) = (Count(rate.Groups["n"].Value), Count(rate.Groups["d"].Value));
                var perThousand = rate.Groups["unit"].Value == " per 1,000";
                AssertRate(rate.Groups["v"].Value, numerator, denominator, perThousand);
                AssertInterval(rate.Groups["lo"].Value, rate.Groups["hi"].Value, numerator, denominator, perThousand);
                if (line.Contains("(reference)", StringComparison.Ordinal) && previous is { } group)
                {
                    var reference = decimal.Parse(rate.Groups["v"].Value, Invariant);
                    var gapLine = lines[lines.IndexOf(line) + 1];
                    var ratioLine = lines.Skip(lines.IndexOf(line))
                        .First(l => l.StartsWith("Ratio to reference:", StringComparison.Ordinal));
                    // The gap is the difference of the two printed rates; the ratio the ratio of the printed counts' rates.
                    if (GapText().Match(gapLine) is { Success: true } gap)
                    {
                        var size = decimal.Parse(gap.Groups["size"].Value, Invariant);
                        Assert.Equal(Math.Abs(group.Rate - reference), size);
                        Assert.Equal(group.Rate > reference ? "higher" : "lower", gap.Groups["way"].Value);
                    }

                    if (RatioText().Match(ratioLine) is { Success: true } ratio)
                    {
                        var expected = ((decimal)group.N / group.D) / ((decimal)numerator / denominator);
                        var printed = decimal.Parse(ratio.Groups["r"].Value, Invariant);
                        Assert.Equal(Math.Round(expected, 2, MidpointRounding.AwayFromZero), printed);
                    }
                }

                previous = (decimal.Parse(rate.Groups["v"].Value, Invariant), numerator, denominator);
                checkedLines++;
            }
        }

        return checkedLines;
    }

    private static void AssertRate(string printed, long numerator, long denominator, bool perThousand)
    {
        var decimals = perThousand ? 2 : 1;
        Assert.Equal(decimals, printed.Length - printed.IndexOf('.', StringComparison.Ordinal) - 1);
        var expected = Math.Round((perThousand ? 1000m : 100m) * numerator / denominator, decimals, MidpointRounding.AwayFromZero);
        Assert.Equal(expected, decimal.Parse(printed, Invariant));
    }

    private static void AssertInterval(string lower, string upper, long numerator, long denominator, bool perThousand)
    {
        var (l, u) = Wilson(numerator, denominator);
        var (scale, decimals) = perThousand ? (1000m, 2) : (100m, 1);
        Assert.Equal(Math.Round(scale * (decimal)l, decimals, MidpointRounding.AwayFromZero), decimal.Parse(lower, Invariant));
        Assert.Equal(Math.Round(scale * (decimal)u, decimals, MidpointRounding.AwayFromZero), decimal.Parse(upper, Invariant));
    }

    /// <summary>Wilson's score interval written out here (z for 95%), independently of the pipeline's implementation.</summary>
    private static (double Lower, double Upper) Wilson(long x, long n)
    {
        const double z = 1.959963984540054;
        double p = (double)x / n, z2 = z * z;
        var centre = (p + (z2 / (2 * n))) / (1 + (z2 / n));
        var half = z * Math.Sqrt((p * (1 - p) / n) + (z2 / (4.0 * n * n))) / (1 + (z2 / n));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    private static long Count(string printed) => long.Parse(printed.Replace(",", string.Empty, StringComparison.Ordinal), Invariant);

    private static string Card(AlertEvidence evidence) =>
        string.Join('\n', EvidenceLines(evidence).Select(l => $"{l.Label}: {l.Value}"));

    private static IEnumerable<Text.Email.EmailLine> EvidenceLines(AlertEvidence evidence) =>
        EvidenceFormatter.Lines(evidence, null, AlertRule.Ratio, "Black", "White");

    [GeneratedRegex(
        @"(?<v>\d+\.\d+)(?<unit>%| per 1,000) \(95% CI (?<lo>\d+\.\d+)%? to (?<hi>\d+\.\d+)%?\); counts: (?<n>[\d,]+) of (?<d>[\d,]+)")]
    private static partial Regex EmailRate();

    [GeneratedRegex(@"(?<v>\d+\.\d+)(?<unit>%| per 1,000) \(95% CI (?<lo>\d+\.\d+)–(?<hi>\d+\.\d+)\); (?<n>[\d,]+) of (?<d>[\d,]+)")]
    private static partial Regex ReportRate();

    [GeneratedRegex(@"^Gap: (?<size>\d+\.\d+) (?:per 1,000|percentage points) (?<way>higher|lower)")]
    private static partial Regex GapText();

    [GeneratedRegex(@"^Ratio to reference: (?<r>\d+\.\d+)")]
    private static partial Regex RatioText();
}
