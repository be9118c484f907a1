using System.Text;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Submissions.Writing;
using Pipeline.Core.Validation;

namespace Pipeline.Core.Tests.Fixtures;

/// <summary>
/// A valid submission that satisfies every rule (sums, totals, codes; unknown shares under 10%), and helpers to write it
/// in each format and run it through the real validator. Tests break one thing at a time from this baseline.
/// </summary>
internal static class Submissions
{
    /// <summary>"Now" for every test: the contract's example month (2026-10) has ended.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public static Submission Valid() => new("1.0", "R0A", new Period(2026, 10), "analyst@nhs.net", ValidMeasures());

    public static List<Measure> ValidMeasures() =>
    [
        new("stillbirth", Breakdown.Total, "all", 3, 1180),
        new("stillbirth", Breakdown.EthnicCategory, "A", 1, 700),
        new("stillbirth", Breakdown.EthnicCategory, "N", 1, 140),
        new("stillbirth", Breakdown.EthnicCategory, "H", 1, 240),
        new("stillbirth", Breakdown.EthnicCategory, "Z", 0, 60),
        new("stillbirth", Breakdown.EthnicCategory, "99", 0, 40),
        new("stillbirth", Breakdown.ImdDecile, "1", 1, 260),
        new("stillbirth", Breakdown.ImdDecile, "2", 1, 200),
        new("stillbirth", Breakdown.ImdDecile, "3", 1, 150),
        new("stillbirth", Breakdown.ImdDecile, "4", 0, 120),
        new("stillbirth", Breakdown.ImdDecile, "5", 0, 100),
        new("stillbirth", Breakdown.ImdDecile, "6", 0, 90),
        new("stillbirth", Breakdown.ImdDecile, "7", 0, 80),
        new("stillbirth", Breakdown.ImdDecile, "8", 0, 70),
        new("stillbirth", Breakdown.ImdDecile, "9", 0, 50),
        new("stillbirth", Breakdown.ImdDecile, "10", 0, 40),
        new("stillbirth", Breakdown.ImdDecile, "U", 0, 20),
        new("caesarean", Breakdown.Total, "all", 400, 1180),
        new("caesarean", Breakdown.ImdQuintile, "1", 150, 420),
        new("caesarean", Breakdown.ImdQuintile, "2", 100, 300),
        new("caesarean", Breakdown.ImdQuintile, "3", 70, 200),
        new("caesarean", Breakdown.ImdQuintile, "4", 50, 160),
        new("caesarean", Breakdown.ImdQuintile, "5", 30, 100),
    ];

    public static SubmissionValidator Validator(ValidationOptions? options = null) =>
        new(ReferenceData.Embedded, options ?? new ValidationOptions(), new FakeTimeProvider(Now));

    public static async Task<byte[]> JsonAsync(Submission submission)
    {
        using var stream = new MemoryStream();
        await SubmissionWriter.WriteJsonAsync(submission, stream, TestContext.Current.CancellationToken);
        return stream.ToArray();
    }

    public static async Task<string> CsvAsync(Submission submission)
    {
        using var stream = new MemoryStream();
        await SubmissionWriter.WriteCsvAsync(submission, stream, TestContext.Current.CancellationToken);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static async Task<byte[]> XlsxAsync(Submission submission)
    {
        using var stream = new MemoryStream();
        await SubmissionWriter.WriteXlsxAsync(submission, stream, TestContext.Current.CancellationToken);
        return stream.ToArray();
    }

    public static Task<ValidationResult> ValidateAsync(string fileName, string text, DropPath? drop = null, ValidationOptions? options = null) =>
        ValidateAsync(fileName, Encoding.UTF8.GetBytes(text), drop, options);

    public static async Task<ValidationResult> ValidateAsync(string fileName, byte[] bytes, DropPath? drop = null, ValidationOptions? options = null)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return await Validator(options).ValidateAsync(stream, new SubmissionInput(fileName, bytes.Length, drop), TestContext.Current.CancellationToken);
    }

    /// <summary>The only error group of a report (fails the test if there is not exactly one), for "one clear message" checks.</summary>
    public static IssueGroup SingleGroup(this ValidationResult result)
    {
        var groups = result.Report.Groups;
        Assert.True(groups.Count == 1, "Expected one issue code, got: " + Describe(result.Report));
        return groups[0];
    }

    public static ValidationIssue SingleIssue(this ValidationResult result)
    {
        var group = result.SingleGroup();
        Assert.True(group.Count == 1, "Expected one issue, got: " + Describe(result.Report));
        return group.Examples[0];
    }

    public static IReadOnlyList<string> Codes(this ValidationResult result) => [.. result.Report.Groups.Select(g => g.Code)];

    public static string Describe(ValidationReport report) =>
        report.Outcome + ": " + string.Join("; ", report.Groups.SelectMany(g => g.Examples).Select(i =>
            $"{i.Code} at {IssueLocationText.Describe(i.Location)} [{i.Value}] {i.Message}"));
}
