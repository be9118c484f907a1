using Pipeline.Core.Tests.Fixtures;
using Pipeline.Core.Validation;
using static Pipeline.Core.Tests.Fixtures.Submissions;

namespace Pipeline.Core.Tests.Validation;

/// <summary>File-level limits and the promise that a user's file never makes the validator throw.</summary>
public class FileLimitTests
{
    [Theory]
    [InlineData("r0a.xls", ".xls")]
    [InlineData("r0a.txt", ".txt")]
    [InlineData("r0a", "(no extension)")]
    public async Task Unsupported_file_type_is_named_with_the_formats_that_are_accepted(string fileName, string extension)
    {
        var issue = (await ValidateAsync(fileName, "anything")).SingleIssue();

        Assert.Equal("E002", issue.Code);
        Assert.Contains($"'{extension}'", issue.Message, StringComparison.Ordinal);
        Assert.Contains(".csv (CSV UTF-8), .xlsx (Excel workbook) or .json", issue.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task File_over_the_size_limit_is_refused_without_being_read()
    {
        using var content = new UnreadableStream();
        var result = await Validator().ValidateAsync(content, new SubmissionInput("big.csv", 200L * 1024 * 1024, null), TestContext.Current.CancellationToken);

        var issue = result.SingleIssue();
        Assert.Equal("E001", issue.Code);
        Assert.Equal("The file is 200.0 MB, over the limit of 20.0 MB; it was not read.", issue.Message);
        Assert.Equal(0, content.Reads);
    }

    [Theory]
    [InlineData(SubmissionTable.Json)]
    [InlineData(SubmissionTable.Csv)]
    [InlineData(SubmissionTable.Xlsx)]
    public async Task File_whose_size_was_under_reported_is_stopped_at_the_limit(string format)
    {
        var bytes = SubmissionTable.Valid().Render(format);
        var options = new ValidationOptions { MaxFileBytes = bytes.Length / 2 };
        using var content = new MemoryStream(bytes);

        var result = await Validator(options).ValidateAsync(content, new SubmissionInput("r0a." + format, 10, null), TestContext.Current.CancellationToken);

        Assert.Equal("E001", result.SingleIssue().Code);
    }

    [Theory]
    [InlineData(SubmissionTable.Json)]
    [InlineData(SubmissionTable.Csv)]
    [InlineData(SubmissionTable.Xlsx)]
    public async Task Rows_beyond_the_limit_are_counted_and_reported_once(string format)
    {
        var table = SubmissionTable.Valid();

        var result = await ValidateAsync("r0a." + format, table.Render(format), options: new ValidationOptions { MaxMeasureRows = 10 });

        var issue = result.SingleIssue();
        Assert.Equal("E016", issue.Code);
        Assert.Equal($"The file has {table.Rows.Count} measure rows, over the limit of 10; rows after the limit were counted but not checked.", issue.Message);
        Assert.Equal(table.Rows.Count, result.Report.RowCount);
    }

    [Theory]
    [InlineData(SubmissionTable.Json)]
    [InlineData(SubmissionTable.Csv)]
    [InlineData(SubmissionTable.Xlsx)]
    public async Task A_valid_file_cut_anywhere_is_rejected_with_a_located_message_never_an_exception(string format)
    {
        var bytes = SubmissionTable.Valid().Render(format);
        // Stop short of the last line end: a CSV without its final newline is complete.
        for (var cut = 0; cut < bytes.Length - 2; cut += Math.Max(1, bytes.Length / 60))
        {
            var result = await ValidateAsync("r0a." + format, bytes[..cut]);

            // A CSV cut right after a total row, or inside the last row's optional columns, can be a complete valid
            // submission of the rows before the cut; anything else is rejected.
            Assert.True(
                result.Report.Outcome == ValidationOutcome.Rejected ||
                (format == SubmissionTable.Csv && result.Submission!.Measures.SequenceEqual(Valid().Measures.Take(result.Submission.Measures.Count))),
                $"cut at {cut}: {Describe(result.Report)}");
            Assert.All(result.Report.Groups.SelectMany(g => g.Examples), i =>
            {
                Assert.False(string.IsNullOrWhiteSpace(i.Message));
                Assert.False(string.IsNullOrWhiteSpace(i.Fix));
                Assert.DoesNotContain("   at ", i.Message, StringComparison.Ordinal);
            });
        }
    }

    [Theory]
    [InlineData(SubmissionTable.Json)]
    [InlineData(SubmissionTable.Csv)]
    [InlineData(SubmissionTable.Xlsx)]
    public async Task Random_bytes_are_rejected_with_a_message_never_an_exception(string format)
    {
        var random = new Random(20261123);
        for (var i = 0; i < 40; i++)
        {
            var bytes = new byte[random.Next(1, 5000)];
            random.NextBytes(bytes);

            var result = await ValidateAsync("r0a." + format, bytes);

            Assert.Equal(ValidationOutcome.Rejected, result.Report.Outcome);
            Assert.NotEmpty(result.Report.Groups);
        }
    }

    [Theory]
    [InlineData(SubmissionTable.Json)]
    [InlineData(SubmissionTable.Csv)]
    [InlineData(SubmissionTable.Xlsx)]
    public async Task Bytes_damaged_anywhere_in_a_valid_file_give_a_report_never_an_exception(string format)
    {
        var valid = SubmissionTable.Valid().Render(format);
        var random = new Random(7);
        for (var i = 0; i < 300; i++)
        {
            var bytes = (byte[])valid.Clone();
            for (var k = 0; k < 1 + random.Next(4); k++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            var result = await ValidateAsync("r0a." + format, bytes);

            Assert.All(result.Report.Groups.SelectMany(g => g.Examples), issue => Assert.False(string.IsNullOrWhiteSpace(issue.Fix)));
        }
    }

    [Fact]
    public async Task One_validator_judges_files_in_parallel_each_on_its_own()
    {
        var validator = Validator();
        var good = SubmissionTable.Valid();
        var files = Enumerable.Range(0, 16).Select(i => i % 2 == 0
            ? (Name: $"good{i}.csv", Bytes: good.Render("csv"), Accepted: true)
            : (Name: $"bad{i}.json", Bytes: SubmissionTable.Valid().Set("stillbirth/total/all", "numerator", "x").Render("json"), Accepted: false)).ToList();

        var results = await Task.WhenAll(files.Select(f => Task.Run(async () =>
        {
            using var stream = new MemoryStream(f.Bytes);
            return await validator.ValidateAsync(stream, new SubmissionInput(f.Name, f.Bytes.Length, null), TestContext.Current.CancellationToken);
        })));

        Assert.Equal(files.Select(f => f.Accepted), results.Select(r => r.Report.IsAccepted));
        Assert.All(results.Where(r => !r.Report.IsAccepted), r => Assert.Equal(["E102"], r.Codes()));
    }

    [Theory]
    [InlineData("r0a.json")]
    [InlineData("r0a.csv")]
    [InlineData("r0a.xlsx")]
    public async Task A_store_that_fails_mid_read_is_an_environment_error_not_a_rejection(string name)
    {
        using var content = new FailingStream();

        await Assert.ThrowsAsync<IOException>(() =>
            Validator().ValidateAsync(content, new SubmissionInput(name, 1000, null), TestContext.Current.CancellationToken));
    }

    private sealed class FailingStream : MemoryStream
    {
        public override bool CanSeek => false;

        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("connection reset");

        public override int Read(Span<byte> buffer) => throw new IOException("connection reset");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException<int>(new IOException("connection reset"));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromException<int>(new IOException("connection reset"));
    }

    /// <summary>Proves a refused file is not read: counts reads and fails them.</summary>
    private sealed class UnreadableStream : MemoryStream
    {
        public int Reads { get; private set; }

        public override int Read(byte[] buffer, int offset, int count) => Fail();

        public override int Read(Span<byte> buffer) => Fail();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Fail());

        private int Fail()
        {
            Reads++;
            throw new InvalidOperationException("The validator read a file it should have refused by size.");
        }
    }
}
