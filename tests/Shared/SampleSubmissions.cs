using System.Text;
using System.Text.Json;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;

namespace Pipeline.Tests.Shared;

/// <summary>
/// Seeded, internally consistent submissions (groups sum exactly to each indicator's total) in the typed form and as the
/// contract's JSON document. Linked into the test projects and the benchmarks; the realistic generator lives elsewhere.
/// </summary>
internal static class SampleSubmissions
{
    /// <summary>Every indicator × (total + every ethnic category + IMD deciles 1–10 and U): 540 rows with the v1 catalogue.</summary>
    public static Submission Typical(string organisationCode, Period period, int seed, ReferenceData? reference = null)
    {
        reference ??= ReferenceData.Embedded;
        var random = new Random(seed);
        var ethnic = reference.EthnicCategories.Select(e => e.Code).ToArray();
        var deciles = Enumerable.Range(1, 10).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("U").ToArray();
        var measures = new List<Measure>();
        foreach (var indicator in reference.Indicators)
        {
            var denominator = random.Next(500, 5000);
            var numerator = (int)(denominator * (indicator.Multiplier == 1000 ? random.NextDouble() * 0.02 : random.NextDouble() * 0.6));
            measures.Add(new Measure(indicator.Code, Breakdown.Total, "all", numerator, denominator));
            Split(random, indicator.Code, Breakdown.EthnicCategory, ethnic, numerator, denominator, measures);
            Split(random, indicator.Code, Breakdown.ImdDecile, deciles, numerator, denominator, measures);
        }

        return new Submission("1.0", organisationCode, period, "analyst@nhs.net", measures);
    }

    /// <summary>The submission as the contract's JSON document (UTF-8 bytes).</summary>
    public static byte[] ToJson(Submission submission)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartObject();
            json.WriteString("schema_version", submission.SchemaVersion);
            json.WriteString("organisation_code", submission.OrganisationCode);
            json.WriteString("reporting_period", submission.ReportingPeriod.ToString());
            if (submission.SubmittedBy is { } by)
            {
                json.WriteString("submitted_by", by);
            }

            json.WriteStartArray("measures");
            foreach (var m in submission.Measures)
            {
                json.WriteStartObject();
                json.WriteString("indicator", m.IndicatorCode);
                json.WriteString("breakdown", m.Breakdown.ToWire());
                json.WriteString("group", m.GroupCode);
                json.WriteNumber("numerator", m.Numerator);
                json.WriteNumber("denominator", m.Denominator);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static string ToJsonText(Submission submission) => Encoding.UTF8.GetString(ToJson(submission));

    private static void Split(Random random, string indicator, Breakdown breakdown, string[] groups, int numerator, int denominator, List<Measure> into)
    {
        var weights = groups.Select(_ => 0.2 + random.NextDouble()).ToArray();
        var total = weights.Sum();
        var d = weights.Select(w => (int)(denominator * w / total)).ToArray();
        d[^1] += denominator - d.Sum();
        var n = d.Select(x => denominator == 0 ? 0 : (int)((long)numerator * x / denominator)).ToArray();
        var remainder = numerator - n.Sum();
        for (var i = 0; remainder > 0; i = (i + 1) % n.Length)
        {
            if (n[i] < d[i])
            {
                n[i]++;
                remainder--;
            }
        }

        for (var i = 0; i < groups.Length; i++)
        {
            into.Add(new Measure(indicator, breakdown, groups[i], n[i], d[i]));
        }
    }
}
