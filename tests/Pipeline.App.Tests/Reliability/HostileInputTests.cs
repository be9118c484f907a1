using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Adapters.Store;
using Pipeline.App.Configuration;
using Pipeline.App.Processing;
using Pipeline.Core.Model;
using Pipeline.Core.Text.Receipts;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Reliability;

/// <summary>Runs alone, so the allocation figure it measures for each hostile file is that file's alone.</summary>
[CollectionDefinition(nameof(HostileInputCollection), DisableParallelization = true)]
public sealed class HostileInputCollection;

/// <summary>
/// The hostile-input corpus through the <b>processor</b> (the validator's own tests prove each code; this proves the whole path):
/// every file is rejected with a receipt naming the problem, nothing throws, the original is kept byte for byte, the rejection
/// and its issues are in SQL, and what processing allocates stays bounded whatever the file's size. Big files are generated at
/// test time (the 1 GB one sparse), never committed.
/// </summary>
[Collection(nameof(HostileInputCollection))]
public sealed class HostileInputTests : IDisposable
{
    private const long MaxFileBytes = 128L * 1024 * 1024;
    private const long AllocationBound = 64L * 1024 * 1024;
    private static readonly Period October = new(2026, 10);
    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-hostile-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Name → (file name, writer of the original into a path, the error code the receipt must give, words its message must hold).</summary>
    private static readonly Dictionary<string, (string File, Action<string> Write, string Code, string Says)> Corpus = new()
    {
        ["xlsx zip bomb (a 64 MB sheet of zeros in a small zip)"] = ("equity.xlsx", p => File.WriteAllBytes(p, ZipOfZeros(64 * 1024 * 1024)), "E013", "expand"),
        ["1 GB file (sparse)"] = ("huge.csv", p => { using var f = File.Create(p); f.SetLength(1L << 30); }, "E001", "MB"),
        ["one 100 MB line"] = ("line.csv", WriteHundredMegabyteLine, "E012", "longer than"),
        ["JSON nested 100,000 deep"] = ("deep.json", p => File.WriteAllText(p, "{\"measures\":" + new string('[', 100_000) + new string(']', 100_000) + "}"), "E008", "nest"),
        ["JSON duplicate key"] = ("dup.json", p => File.WriteAllText(p, Json(organisation: "\"R0A\",\"organisation_code\":\"R0A\"")), "E009", "organisation_code"),
        ["NaN count"] = ("nan.json", p => File.WriteAllText(p, Json(numerator: "NaN")), "E006", "NaN"),
        ["Infinity count"] = ("inf.json", p => File.WriteAllText(p, Json(numerator: "Infinity")), "E006", "Infinity"),
        ["1e400 count"] = ("big-number.json", p => File.WriteAllText(p, Json(numerator: "1e400")), "E010", "1e400"),
        ["formula injection in a text field"] = ("formula.json", p => File.WriteAllText(p, Json(indicator: "=HYPERLINK(\\\"http://evil.example/?x\\\",\\\"click\\\")")), "E103", "indicator"),
        ["HTML and script in a text field"] = ("script.json", p => File.WriteAllText(p, Json(group: "<script>alert(1)</script><img src=x onerror=alert(2)>")), "E103", "group"),
        ["control characters in a text field"] = ("control.json", p => File.WriteAllText(p, Json(group: "\\u001b[2J\\u0007\\u0000")), "E103", "group"),
        ["invalid UTF-8"] = ("latin1.csv", p => File.WriteAllBytes(p, [.. "organisation_code,reporting_period\nR0A,"u8, 0xA3, 0xFF, .. "\n"u8]), "E005", "UTF-8"),
        ["zero-byte file"] = ("empty.json", p => File.WriteAllBytes(p, []), "E003", "empty"),
    };

    public static TheoryData<string> Cases() => [.. Corpus.Keys];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Hostile_file_is_rejected_with_a_clear_receipt_its_original_kept_and_the_rejection_recorded(string name)
    {
        var (fileName, write, code, says) = Corpus[name];
        var services = await StartAsync();
        var key = $"submissions/R0A/{October}/{fileName}";
        var path = Path.Combine(_root, key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        write(path);
        var (length, sha) = (new FileInfo(path).Length, await HashAsync(path));

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var result = await services.Processor.ProcessAsync(key, Ct);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        Assert.Equal(ProcessingOutcome.Rejected, result.Outcome);
        var receiptJson = await File.ReadAllTextAsync(Path.Combine(_root, result.ReceiptJsonKey!), Ct);
        var receipt = ReceiptJson.Read(receiptJson);
        var group = Assert.Single(receipt.Groups, g => g.Code == code);
        Assert.Contains(group.Examples, e => e.Message.Contains(says, StringComparison.OrdinalIgnoreCase) && e.Fix.Length > 0);
        Assert.DoesNotContain("   at ", receiptJson, StringComparison.Ordinal); // a message for a person, never a stack trace

        Assert.Equal((length, sha), (new FileInfo(path).Length, await HashAsync(path)));
        var row = await services.Store.GetSubmissionAsync(result.SubmissionId, Ct);
        Assert.Equal((SubmissionStatus.Rejected, true), (row!.Status, row.ErrorCount > 0));
        Assert.Contains(await services.Store.GetIssuesAsync(result.SubmissionId, Ct), i => i.Code == code);
        Assert.Empty(await services.Store.GetCurrentMeasuresAsync(null, Ct));
        Assert.True(allocated < AllocationBound, $"processing {name} ({length:N0} bytes) allocated {allocated:N0} bytes (bound {AllocationBound:N0})");
        TestContext.Current.TestOutputHelper?.WriteLine($"{name}: {length:N0} bytes in, {allocated / 1048576.0:F1} MB allocated");
    }

    [Fact]
    public async Task Text_fields_come_back_escaped_in_every_receipt_never_as_markup_or_a_live_formula()
    {
        var services = await StartAsync();
        var key = await PutAsync(services, "mixed.json", Json(indicator: "=HYPERLINK(\\\"http://evil.example\\\",\\\"x\\\")", group: "<script>alert(1)</script>\\u001b[2J"));

        var result = await services.Processor.ProcessAsync(key, Ct);

        var html = await File.ReadAllTextAsync(Path.Combine(_root, result.ReceiptHtmlKey!), Ct);
        var json = await File.ReadAllTextAsync(Path.Combine(_root, result.ReceiptJsonKey!), Ct);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("=HYPERLINK(\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", json, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', html + json);
        // The value is kept so the submitter can find it, its control character shown as its code point (SubmitterText).
        Assert.Contains(ReceiptJson.Read(json).Groups.SelectMany(g => g.Examples), e => e.Value == "<script>alert(1)</script>U+001B[2J");
    }

    [Theory]
    [InlineData("équité 📊 octobre.json")]
    [InlineData("a name with spaces, commas; and 'quotes'.json")]
    public async Task Unusual_but_harmless_file_names_are_processed_normally(string fileName)
    {
        var services = await StartAsync();
        var key = await PutAsync(services, fileName, SampleSubmissions.ToJsonText(SampleSubmissions.Typical("R0A", October, seed: 3)));

        var result = await services.Processor.ProcessAsync(key, Ct);

        Assert.Equal(ProcessingOutcome.Accepted, result.Outcome);
        Assert.Equal(fileName, (await services.Store.GetSubmissionAsync(result.SubmissionId, Ct))!.FileName);
    }

    [Fact]
    public async Task Very_long_file_name_is_processed_and_recorded()
    {
        var services = await StartAsync();
        var fileName = new string('x', 240) + ".json"; // near the 255-byte file-system limit
        var key = await PutAsync(services, fileName, SampleSubmissions.ToJsonText(SampleSubmissions.Typical("R0A", October, seed: 4)));

        var result = await services.Processor.ProcessAsync(key, Ct);

        Assert.Equal(ProcessingOutcome.Accepted, result.Outcome);
    }

    [Theory]
    [InlineData("submissions/R0A/2026-10/../../../pipeline.db")]
    [InlineData("submissions/R0A/../../reports/x.json")]
    [InlineData("/etc/passwd")]
    [InlineData("submissions/R0A/2026-10/a\u0000b.json")]
    public async Task Traversal_and_control_characters_in_a_drop_path_are_refused_before_anything_is_read_or_written(string key)
    {
        var services = await StartAsync();
        var before = Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Where(f => !f.Contains("pipeline.db", StringComparison.Ordinal)).ToList();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => services.Processor.ProcessAsync(key, Ct));

        Assert.Matches("not a valid object key|has an empty, '.' or '..' segment", error.Message);
        Assert.Equal(before, Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Where(f => !f.Contains("pipeline.db", StringComparison.Ordinal)).ToList());
        Assert.Empty(await services.Store.ListSubmissionsAsync("R0A", October, Ct));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private async Task<PipelineServices> StartAsync()
    {
        var options = new PipelineOptions { DataDirectory = _root };
        options.Submissions.MaxFileBytes = MaxFileBytes;
        var services = PipelineServices.Create(options, new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero)));
        await services.Store.MigrateAsync(Ct);
        return services;
    }

    private static async Task<string> PutAsync(PipelineServices services, string fileName, string text)
    {
        var key = $"submissions/R0A/{October}/{fileName}";
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(text));
        await services.Objects.WriteAsync(key, content, Ct);
        return key;
    }

    /// <summary>A one-measure submission with one field replaced by raw JSON text (so a test can put NaN, a duplicate key or markup there).</summary>
    private static string Json(string organisation = "\"R0A\"", string indicator = "stillbirth", string group = "all", string numerator = "1") =>
        $$"""
        {"schema_version":"1.0","organisation_code":{{organisation}},"reporting_period":"2026-10","submitted_by":"analyst@nhs.net",
         "measures":[{"indicator":"{{indicator}}","breakdown":"{{(group == "all" ? "total" : "ethnic_category")}}","group":"{{group}}","numerator":{{numerator}},"denominator":100}]}
        """;

    private static byte[] ZipOfZeros(int size)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var workbook = new StreamWriter(zip.CreateEntry("xl/workbook.xml").Open()))
            {
                workbook.Write("<workbook/>");
            }

            using var sheet = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var written = 0; written < size; written += zeros.Length)
            {
                sheet.Write(zeros);
            }
        }

        return stream.ToArray();
    }

    private static void WriteHundredMegabyteLine(string path)
    {
        using var file = File.Create(path);
        file.Write("schema_version,organisation_code,reporting_period,indicator,breakdown,group,numerator,denominator\n1.0,R0A,2026-10,"u8);
        var chunk = Encoding.ASCII.GetBytes(new string('A', 1024 * 1024));
        for (var i = 0; i < 100; i++)
        {
            file.Write(chunk);
        }
    }

    private static async Task<string> HashAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, Ct));
    }
}
