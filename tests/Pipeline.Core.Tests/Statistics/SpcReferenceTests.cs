using System.Text.Json.Nodes;
using Pipeline.Core.Statistics.Spc;

namespace Pipeline.Core.Tests.Statistics;

/// <summary>Making Data Count XmR limits and special-cause rules against NHSRplotthedots' published cases.</summary>
public class SpcReferenceTests
{
    public static TheoryData<string> LimitCases => ReferenceCases.Ids("XmR limits");

    public static TheoryData<string> RuleUnitCases => ReferenceCases.Ids("ptd_");

    public static TheoryData<string> TwoInThreeCases => ReferenceCases.Ids("special cause: 2 of 3");

    [Theory]
    [MemberData(nameof(LimitCases))]
    public void Xmr_limits_and_point_types_match_the_published_case(string caseId)
    {
        var c = ReferenceCases.Get(caseId);
        var inputs = c.Inputs();
        var chart = XmrChart.Build(inputs.Numbers("y"), baselinePoints: null, screenOutliers: (bool)inputs["screen_outliers"]!)!;
        var expected = c.Expected();
        var tolerance = c.Tolerance();
        ReferenceCases.AssertClose(expected.Number("mean"), chart.Limits.Mean, tolerance, "mean");
        ReferenceCases.AssertClose(expected.Number("lpl"), chart.Limits.LowerProcessLimit, tolerance, "lpl");
        ReferenceCases.AssertClose(expected.Number("upl"), chart.Limits.UpperProcessLimit, tolerance, "upl");

        var special = expected["special_cause_points"]?.AsObject();
        var expectAllCommon = special is not null || (string?)expected["all_points"] == "common_cause" || expected["common_cause"] is not null;
        foreach (var point in chart.Points)
        {
            var oneBased = (point.Index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (special?[oneBased] is { } type)
            {
                Assert.True(point.IsSpecialCause, $"point {oneBased} should be a special cause");
                var improvement = (string)inputs["improvement_direction"]! == "increase" ? SpecialCauseSide.High : SpecialCauseSide.Low;
                Assert.Equal((string)type! == "special_cause_improvement", point.Side == improvement);
            }
            else if (expectAllCommon)
            {
                Assert.False(point.IsSpecialCause, $"point {oneBased} ({point.Value}) should be common cause, was {point.Rule}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(TwoInThreeCases))]
    public void Two_points_beyond_the_near_limits_on_opposite_sides_are_common_cause(string caseId)
    {
        var c = ReferenceCases.Get(caseId);
        var chart = XmrChart.Build(c.Inputs().Numbers("y"), baselinePoints: null)!;
        var expected = c.Expected()["point_type_last_two"]!.AsArray().Select(n => (string)n!).ToList();
        Assert.Equal(["common_cause", "common_cause"], expected);
        Assert.All(chart.Points.TakeLast(2), p => Assert.False(p.IsSpecialCause));
    }

    [Theory]
    [MemberData(nameof(RuleUnitCases))]
    public void Special_cause_building_block_matches_the_package_unit_test(string caseId)
    {
        var c = ReferenceCases.Get(caseId);
        var method = (string)c["method"]!;
        var inputs = c.Inputs();
        var expected = c.Expected();
        switch (method)
        {
            case "ptd_calculate_assurance_type":
                var lpl = inputs.Numbers("lpl");
                var upl = inputs.Numbers("upl");
                var increase = (string)inputs["improvement_direction"]! == "increase";
                var actual = lpl.Select((l, i) => XmrAssurance.Classify(l, upl[i], inputs.Number("target"), increase)).Select(Name).ToList();
                Assert.Equal(expected["assurance_type"]!.AsArray().Select(n => (string)n!).ToList(), actual);
                return;
            case "ptd_seven_point_one_side_mean":
                Assert.Equal(Ints(expected, "output"), SpecialCauseRules.SevenPointOneSideOfMean(Ints(inputs, "input")));
                return;
            case "ptd_seven_point_trend":
                Assert.Equal(Ints(expected, "output"), SpecialCauseRules.SevenPointTrend(inputs.Numbers("input")));
                return;
            case "ptd_part_of_seven_trend":
                Assert.Equal(Ints(expected, "output"), SpecialCauseRules.PartOfSevenPointRun(Ints(inputs, "input")));
                return;
            case "ptd_two_in_three":
                var pair = inputs["input"]!.AsObject();
                Assert.Equal(Ints(expected, "output"), SpecialCauseRules.TwoInThree(Ints(pair, "close_to_limits"), Ints(pair, "relative_to_mean")));
                return;
            case "ptd_part_of_two_in_three":
                var both = inputs["input"]!.AsObject();
                var close = Ints(both, "close_to_limits");
                var windows = SpecialCauseRules.TwoInThree(close, Ints(both, "relative_to_mean"));
                Assert.Equal(Ints(expected, "output"), SpecialCauseRules.PartOfTwoInThree(windows, close));
                return;
            default:
                Assert.Fail($"No check for method {method}");
                return;
        }
    }

    private static int[] Ints(JsonObject o, string name) => [.. o[name]!.AsArray().Select(n => (int)(double)n!)];

    private static string Name(Assurance a) => a switch
    {
        Assurance.ConsistentFail => "consistent_fail",
        Assurance.ConsistentPass => "consistent_pass",
        _ => "inconsistent",
    };
}
