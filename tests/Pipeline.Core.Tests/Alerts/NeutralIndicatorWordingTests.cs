using Pipeline.Core.Alerts;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Statistics.Spc;
using Pipeline.Core.Text.AlertEmails;

namespace Pipeline.Core.Tests.Alerts;

/// <summary>An indicator with no better or worse direction (emergency caesarean) is told as "differs", never "worse".</summary>
public sealed class NeutralIndicatorWordingTests
{
    private static readonly Period End = new(2026, 10);

    [Theory]
    [InlineData(Signal.Alert, SignalRule.Ratio)]
    [InlineData(Signal.Watch, SignalRule.Ratio)]
    [InlineData(Signal.Watch, SignalRule.Spc)]
    public void A_neutral_indicators_comparison_alert_says_the_group_differs(Signal signal, SignalRule rule)
    {
        var comparison = Comparison("emergency_caesarean", Direction.Different, signal, rule);

        var text = Single(comparison).Evidence.RuleText;

        Assert.Contains("differs", text, StringComparison.Ordinal);
        Assert.DoesNotContain("worse", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_indicator_with_a_direction_still_says_worse()
    {
        var text = Single(Comparison("stillbirth", Direction.Worse, Signal.Alert, SignalRule.Ratio)).Evidence.RuleText;

        Assert.Contains("in the worse direction", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_neutral_gradient_speaks_of_the_higher_value_not_of_faring_worse()
    {
        var neutral = AlertRuleText.Gradient(alert: true, neutral: true, 1.2, 0.4, 2.0);
        var directed = AlertRuleText.Gradient(alert: true, neutral: false, 1.2, 0.4, 2.0);

        Assert.Contains("the most deprived having the higher value", neutral, StringComparison.Ordinal);
        Assert.DoesNotContain("worse", neutral, StringComparison.Ordinal);
        Assert.Contains("the most deprived faring worse", directed, StringComparison.Ordinal);
    }

    private static AlertSignal Single(GroupComparison comparison) =>
        Assert.Single(AlertInputs.FromDetection(new DetectionResult([comparison], [], []), End, ReferenceData.Embedded, []).Signals);

    private static GroupComparison Comparison(string indicator, Direction direction, Signal signal, SignalRule rule) => new(
        Level.Lmns, "QOP", indicator, ComparisonBreakdown.EthnicGroup, "Black", "White", 12, End, 12,
        Numerator: 300, Denominator: 1000, Value: 30, CiLower: 27, CiUpper: 33,
        ReferenceNumerator: 2000, ReferenceDenominator: 10000, ReferenceValue: 20,
        RateRatio: 1.5, RrCiLower: 1.35, RrCiUpper: 1.67, RrCiLower998: 1.28, RrCiUpper998: 1.76, AbsoluteDifference: 10,
        HaldaneCorrected: false, direction, signal, rule,
        rule == SignalRule.Spc ? SpecialCauseRule.Shift : SpecialCauseRule.None, SpcConcern: rule == SignalRule.Spc, InhibitedReason: null);
}
