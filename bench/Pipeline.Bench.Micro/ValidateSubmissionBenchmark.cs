using BenchmarkDotNet.Attributes;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Submissions.Writing;
using Pipeline.Core.Validation;
using Pipeline.Tests.Shared;

namespace Pipeline.Bench.Micro;

/// <summary>
/// Reading and validating one typical trust month (540 rows, every indicator in total and by ethnic category and IMD
/// decile), as the ingest does for each file of a national month. The file is held in memory so only the validator is timed.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ValidateSubmissionBenchmark
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private byte[] _csv = [];
    private byte[] _json = [];
    private SubmissionValidator _validator = null!;
    private SubmissionValidator _generalOnly = null!;

    [GlobalSetup]
    public void Setup()
    {
        var submission = SampleSubmissions.Typical("R0A", new Period(2026, 10), seed: 7);
        using (var csv = new MemoryStream())
        {
            SubmissionWriter.WriteCsvAsync(submission, csv, CancellationToken.None).GetAwaiter().GetResult();
            _csv = csv.ToArray();
        }

        _json = SampleSubmissions.ToJson(submission);
        _validator = new SubmissionValidator(ReferenceData.Embedded, new ValidationOptions(), new FixedTime(Now));
        _generalOnly = new SubmissionValidator(
            ReferenceData.Embedded, new ValidationOptions { GeneralSchemaOnly = true }, new FixedTime(Now));
        foreach (var (bytes, name) in new[] { (_csv, "submission.csv"), (_json, "submission.json") })
        {
            var report = ValidateAsync(bytes, name).GetAwaiter().GetResult();
            if (!report.IsAccepted || report.RowCount != 540)
            {
                throw new InvalidOperationException(
                    $"The sample {name} must be accepted with 540 rows: {report.Outcome}, {report.RowCount} rows.");
            }
        }
    }

    internal byte[] CsvBytes => _csv;

    [Benchmark(Baseline = true)]
    public Task<ValidationReport> Csv540Rows() => ValidateAsync(_csv, "submission.csv");

    [Benchmark]
    public Task<ValidationReport> Json540Rows() => ValidateAsync(_json, "submission.json");

    /// <summary>The same CSV with every row judged by NJsonSchema (no fast row check): what the fast check alone saves.</summary>
    [Benchmark]
    public Task<ValidationReport> Csv540RowsGeneralSchemaOnly() => ValidateAsync(_csv, "submission.csv", _generalOnly);

    private async Task<ValidationReport> ValidateAsync(byte[] bytes, string name, SubmissionValidator? validator = null)
    {
        using var content = new MemoryStream(bytes, writable: false);
        var input = new SubmissionInput(name, bytes.Length, new DropPath("R0A", "2026-10", name));
        return (await (validator ?? _validator).ValidateAsync(content, input, CancellationToken.None).ConfigureAwait(false)).Report;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
