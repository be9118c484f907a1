using Pipeline.Core.Model;

namespace Pipeline.Core.Tests.Model;

public class PeriodTests
{
    [Theory]
    [InlineData("2026-10", 2026, 10)]
    [InlineData("2024-01", 2024, 1)]
    public void Parses_a_real_month(string text, int year, int month)
    {
        Assert.True(Period.TryParse(text, out var period));
        Assert.Equal(new Period(year, month), period);
        Assert.Equal(text, period.ToString());
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("2026-00")]
    [InlineData("26-10")]
    [InlineData("2026/10")]
    [InlineData("2026-1")]
    [InlineData("October")]
    [InlineData("")]
    [InlineData(null)]
    public void Refuses_anything_that_is_not_yyyy_MM(string? text) => Assert.False(Period.TryParse(text, out _));

    [Fact]
    public void Adding_months_crosses_year_boundaries_both_ways()
    {
        Assert.Equal(new Period(2027, 2), new Period(2026, 11).AddMonths(3));
        Assert.Equal(new Period(2025, 12), new Period(2026, 11).AddMonths(-11));
        Assert.Equal(-11, new Period(2025, 12).MonthsSince(new Period(2026, 11)));
    }

    [Fact]
    public void First_and_last_day_bound_the_month()
    {
        Assert.Equal(new DateOnly(2024, 2, 1), new Period(2024, 2).FirstDay);
        Assert.Equal(new DateOnly(2024, 2, 29), new Period(2024, 2).LastDay);
    }
}
