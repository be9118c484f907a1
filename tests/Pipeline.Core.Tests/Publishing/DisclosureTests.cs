using Pipeline.Core.Publishing;

namespace Pipeline.Core.Tests.Publishing;

/// <summary>One test per rule row of reference/source/disclosure_rules.csv (MSDS_ROUNDING, MSDS_RATE, MSDS_SYMBOL).</summary>
public class DisclosureTests
{
    [Fact]
    public void MSDS_ROUNDING_count_0_is_published_as_0()
    {
        Assert.Equal(0, Disclosure.RoundCount(0));
        Assert.Equal("0", Disclosure.FormatCount(0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(7)]
    public void MSDS_ROUNDING_counts_1_to_7_are_published_as_5_and_shown_as_the_suppression_symbol(long count)
    {
        Assert.Equal(5, Disclosure.RoundCount(count));
        Assert.Equal("*", Disclosure.FormatCount(count));
    }

    [Theory]
    [InlineData(8, 10)]
    [InlineData(10, 10)]
    [InlineData(12, 10)]
    [InlineData(13, 15)]
    [InlineData(17, 15)]
    [InlineData(18, 20)]
    [InlineData(1234, 1235)]
    [InlineData(14118, 14120)]
    public void MSDS_ROUNDING_counts_of_8_or_more_are_rounded_to_the_nearest_multiple_of_5(long count, long published)
    {
        Assert.Equal(published, Disclosure.RoundCount(count));
        Assert.Equal(published.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), Disclosure.FormatCount(count));
    }

    [Fact]
    public void Rounding_to_5_never_needs_a_tie_break_because_counts_are_whole()
    {
        for (long count = 8; count < 2000; count++)
        {
            var rounded = Disclosure.RoundCount(count);
            Assert.Equal(0, rounded % 5);
            Assert.True(Math.Abs(rounded - count) <= 2, $"{count} → {rounded}");
        }
    }

    [Theory]
    [InlineData(13, 1234, 1.2)]    // 15 / 1235 = 1.2146%
    [InlineData(3, 140, 3.6)]      // 5 / 140 = 3.571% (the 1–7 count is published as 5)
    [InlineData(1, 40, 12.5)]      // 5 / 40 = 12.5% exactly: no rounding needed
    [InlineData(127, 1000, 12.5)]  // 125 / 1000 = 12.5%
    [InlineData(21, 1000, 2.0)]    // 20 / 1000
    [InlineData(23, 1000, 2.5)]    // 25 / 1000 = 2.5
    public void MSDS_RATE_percentages_use_the_rounded_counts_and_one_decimal_half_up(long numerator, long denominator, double expected) =>
        Assert.Equal((decimal)expected, Disclosure.PercentageRate(numerator, denominator));

    [Fact]
    public void MSDS_RATE_percentage_half_way_cases_round_up()
    {
        Assert.Equal(0.1m, Disclosure.PercentageRate(10, 20000)); // 0.05% → 0.1 (half-up; banker's rounding would give 0.0)
        Assert.Equal(0.3m, Disclosure.PercentageRate(50, 20000)); // 0.25% → 0.3 (banker's would give 0.2)
    }

    [Fact]
    public void MSDS_RATE_percentage_without_a_denominator_is_not_available()
    {
        Assert.Null(Disclosure.PercentageRate(0, 0));
        Assert.Equal(0m, Disclosure.PercentageRate(0, 2)); // a denominator of 1–7 is published as 5
        Assert.Equal(0m, Disclosure.PercentageRate(0, 9));
    }

    [Theory]
    [InlineData(1, 1200, 1000)]
    [InlineData(7, 1200, 1000)]
    [InlineData(3, 40, 100)]
    [InlineData(20, 6, 100)]
    public void Rates_resting_on_a_suppressed_count_are_hidden_whatever_the_multiplier(long numerator, long denominator, int multiplier) =>
        Assert.True(Disclosure.Rate(numerator, denominator, multiplier).IsHidden);

    [Fact]
    public void Rates_and_their_intervals_come_from_the_rounded_counts()
    {
        var rate = Disclosure.Rate(19, 2412, 1000);

        Assert.False(rate.IsHidden);
        Assert.Equal(1000.0 * 20 / 2410, rate.Value!.Value, 9);
        var wilson = Pipeline.Core.Statistics.WilsonScore.Interval(20, 2410, 0.95)!.Value;
        Assert.Equal(wilson.Lower * 1000, rate.Ci!.Value.Lower, 9);
        Assert.Equal(wilson.Upper * 1000, rate.Ci!.Value.Upper, 9);
    }

    [Fact]
    public void A_ratio_is_hidden_when_either_side_rests_on_a_suppressed_count_and_otherwise_uses_the_rounded_counts()
    {
        Assert.True(Disclosure.Ratio(3, 400, 40, 4000).IsHidden);
        Assert.True(Disclosure.Ratio(40, 400, 6, 4000).IsHidden);

        var ratio = Disclosure.Ratio(41, 402, 38, 3998);
        var expected = Pipeline.Core.Statistics.RiskRatio.Compute(40, 400, 40, 4000)!;
        Assert.Equal(expected.Ratio, ratio.Value!.Value, 9);
        Assert.Equal(expected.Ci998.Lower, ratio.Ci998!.Value.Lower, 9);
    }

    [Fact]
    public void MSDS_SYMBOL_suppressed_small_numbers_use_the_asterisk() => Assert.Equal("*", Disclosure.Suppressed);

}
