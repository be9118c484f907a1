using Pipeline.Core.Alerts;

namespace Pipeline.Core.Tests.Alerts;

/// <summary>Counting alerts as the lifecycle opens them: the unit of the null false-alert rate (docs/detection.md).</summary>
public class AlertEpisodeTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("A", 1)]
    [InlineData("AAAA", 1)]
    [InlineData("A.A", 1)] // one quiet month does not resolve: the same alert
    [InlineData("A..A", 2)] // two quiet months resolve it: a new alert
    [InlineData("..A.A..A", 2)]
    [InlineData("A...A...A", 3)]
    public void An_alert_opens_when_the_rule_holds_and_closes_after_resolve_after_quiet_months(string months, int expected)
    {
        var held = months.Select(c => c == 'A');

        Assert.Equal(expected, AlertLifecycle.Episodes(held, AlertPolicy.Default));
    }

    [Fact]
    public void A_longer_resolve_after_merges_alerts_separated_by_fewer_quiet_months()
    {
        var held = "A..A".Select(c => c == 'A');

        Assert.Equal(1, AlertLifecycle.Episodes(held, AlertPolicy.Default with { ResolveAfter = 3 }));
    }
}
