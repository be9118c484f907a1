using System.Text;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Tests.Fixtures;
using Pipeline.Core.Validation;
using static Pipeline.Core.Tests.Fixtures.Submissions;

namespace Pipeline.Core.Tests.Validation;

/// <summary>
/// Many random submissions that keep every rule (random indicators, random subsets of groups, random splits that add up
/// exactly): each is accepted in every format with exactly its measures; with one group's count nudged, each is rejected
/// by the sum rule alone.
/// </summary>
public class RandomSubmissionTests
{
    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 25)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Random_valid_submission_is_accepted_with_its_measures_in_every_format(int seed)
    {
        var submission = RandomSubmission(new Random(seed));

        foreach (var (name, bytes) in await RenderAllAsync(submission))
        {
            var result = await ValidateAsync(name, bytes);

            Assert.True(result.Report.Outcome != ValidationOutcome.Rejected, $"seed {seed} {name}: {Describe(result.Report)}");
            Assert.Equal(submission.Measures, result.Submission!.Measures);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Random_submission_with_one_group_nudged_is_rejected_by_the_sum_rule_only(int seed)
    {
        var random = new Random(seed);
        var submission = RandomSubmission(random);
        var groups = submission.Measures.Select((m, i) => (m, i)).Where(x => x.m.Breakdown != Breakdown.Total).ToList();
        var (target, index) = groups[random.Next(groups.Count)];
        var measures = submission.Measures.ToList();
        measures[index] = target with { Denominator = target.Denominator + 1 };
        var broken = submission with { Measures = measures };

        foreach (var (name, bytes) in await RenderAllAsync(broken))
        {
            var result = await ValidateAsync(name, bytes);

            // Random splits may leave many records unknown (warnings); the only error must be the sum.
            var errors = result.Report.Groups.Where(g => g.Severity == Severity.Error).Select(g => g.Code);
            Assert.True(errors.SequenceEqual(["E204"]), $"seed {seed} {name}: {Describe(result.Report)}");
            Assert.Equal($"{target.IndicatorCode}/{target.Breakdown.ToWire()}", result.Report.Groups[0].Examples[0].RowKey);
        }
    }

    private static async Task<List<(string Name, byte[] Bytes)>> RenderAllAsync(Submission submission) =>
    [
        ("s.json", await JsonAsync(submission)),
        ("s.csv", Encoding.UTF8.GetBytes(await CsvAsync(submission))),
        ("s.xlsx", await XlsxAsync(submission)),
    ];

    private static Submission RandomSubmission(Random random)
    {
        var reference = ReferenceData.Embedded;
        var indicators = reference.Indicators.OrderBy(_ => random.Next()).Take(random.Next(1, 6)).ToList();
        var measures = new List<Measure>();
        foreach (var indicator in indicators)
        {
            var denominator = random.Next(0, 3000);
            var numerator = denominator == 0 ? 0 : random.Next(0, denominator + 1);
            measures.Add(new Measure(indicator.Code, Breakdown.Total, "all", numerator, denominator));
            if (random.Next(4) > 0)
            {
                var codes = reference.EthnicCategories.Select(e => e.Code).Where(c => c is not ("Z" or "99")).OrderBy(_ => random.Next()).Take(random.Next(1, 17)).Append("Z");
                measures.AddRange(Split(random, indicator.Code, Breakdown.EthnicCategory, [.. codes], numerator, denominator));
            }

            var imd = random.Next(3);
            if (imd == 1)
            {
                measures.AddRange(Split(random, indicator.Code, Breakdown.ImdDecile, [.. Enumerable.Range(1, 10).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)), "U"], numerator, denominator));
            }
            else if (imd == 2)
            {
                measures.AddRange(Split(random, indicator.Code, Breakdown.ImdQuintile, ["1", "2", "3", "4", "5"], numerator, denominator));
            }
        }

        return new Submission("1.0", "R1F", new Period(2026, 4 + random.Next(6)), random.Next(2) == 0 ? null : "a.b@nhs.net", measures);
    }

    /// <summary>Denominators split at random, then numerators spread within each group's denominator, both adding up exactly.</summary>
    private static IEnumerable<Measure> Split(Random random, string indicator, Breakdown breakdown, string[] groups, long numerator, long denominator)
    {
        var dens = new long[groups.Length];
        for (var i = 0; i < denominator; i++)
        {
            dens[random.Next(groups.Length)]++;
        }

        var nums = new long[groups.Length];
        var left = numerator;
        while (left > 0)
        {
            var g = random.Next(groups.Length);
            if (nums[g] < dens[g])
            {
                nums[g]++;
                left--;
            }
        }

        return groups.Select((code, i) => new Measure(indicator, breakdown, code, nums[i], dens[i]));
    }
}
