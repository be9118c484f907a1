using System.Text.Json.Nodes;

namespace Pipeline.Core.Tests.Statistics;

/// <summary>The published reference cases (stats_cases.json, copied next to the tests; see SOURCES.md).</summary>
internal static class ReferenceCases
{
    private static readonly Lazy<IReadOnlyList<JsonObject>> All = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Statistics", "stats_cases.json");
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        return [.. root["cases"]!.AsArray().Select(c => c!.AsObject())];
    });

    public static JsonObject Get(string id) => All.Value.Single(c => (string)c["id"]! == id);

    /// <summary>The ids of every case whose method starts with <paramref name="methodPrefix"/>: one theory row each, named by the case.</summary>
    public static TheoryData<string> Ids(string methodPrefix)
    {
        var data = new TheoryData<string>();
        foreach (var c in All.Value.Where(c => ((string)c["method"]!).StartsWith(methodPrefix, StringComparison.Ordinal)))
        {
            data.Add((string)c["id"]!);
        }

        return data;
    }

    public static JsonObject Inputs(this JsonObject c) => c["inputs"]!.AsObject();

    public static JsonObject Expected(this JsonObject c) => c["expected"]!.AsObject();

    public static double Number(this JsonObject o, string name) => (double)o[name]!;

    public static double? OptionalNumber(this JsonObject o, string name) => o[name] is { } n ? (double)n : null;

    public static double[] Numbers(this JsonObject o, string name) => [.. o[name]!.AsArray().Select(n => (double)n!)];

    /// <summary>The confidence levels of a case (a single number or a list).</summary>
    public static double[] Confidences(this JsonObject inputs) =>
        inputs["confidence"] is JsonArray list ? [.. list.Select(n => (double)n!)] : [(double)inputs["confidence"]!];

    /// <summary>Asserts <paramref name="actual"/> is within the case's tolerance (relative, absolute or exact) of <paramref name="expected"/>.</summary>
    public static void AssertClose(double expected, double actual, JsonObject tolerance, string what)
    {
        if (tolerance["relative"] is { } relative)
        {
            var allowed = (double)relative * Math.Abs(expected);
            Assert.True(Math.Abs(actual - expected) <= allowed, $"{what}: expected {expected:R}, got {actual:R} (relative tolerance {(double)relative})");
        }
        else if (tolerance["absolute"] is { } absolute)
        {
            Assert.True(Math.Abs(actual - expected) <= (double)absolute, $"{what}: expected {expected:R}, got {actual:R} (absolute tolerance {(double)absolute})");
        }
        else
        {
            Assert.Equal(expected, actual);
        }
    }

    /// <summary>Asserts value, 95% and (when the case has them) 99.8% limits against the case's expected values.</summary>
    public static void AssertIndicatorValue(JsonObject c, Pipeline.Core.Statistics.IndicatorValue value)
    {
        var expected = c.Expected();
        var tolerance = c.Tolerance();
        AssertClose(expected.Number("value"), value.Value, tolerance, "value");
        AssertClose(expected.Number("lower95"), value.Ci95.Lower, tolerance, "lower95");
        AssertClose(expected.Number("upper95"), value.Ci95.Upper, tolerance, "upper95");
        if (expected.OptionalNumber("lower99_8") is { } lower998)
        {
            AssertClose(lower998, value.Ci998.Lower, tolerance, "lower99_8");
            AssertClose(expected.Number("upper99_8"), value.Ci998.Upper, tolerance, "upper99_8");
        }
    }

    public static JsonObject Tolerance(this JsonObject c) => c["tolerance"]!.AsObject();
}
