using System.Diagnostics;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Submissions.Writing;
using Pipeline.Core.Validation;

namespace Pipeline.Bench;

/// <summary>Validates a generated file that must be accepted; subclasses name the format and size.</summary>
internal abstract class GeneratedFileBenchmark(string name, string description, string fileName, int indicators, ValidationOptions options) : IBenchmark
{
    public string Name => name;

    public string Description => description;

    public Task<IReadOnlyList<Metric>> RunAsync(string workDirectory, CancellationToken cancellationToken) =>
        ValidateRun.GeneratedAsync(workDirectory, fileName, indicators, options, cancellationToken);
}

/// <summary>Throughput of the validator on a 100,000-row CSV (the row limit), from a file on disk, accepted.</summary>
internal sealed class ValidateBenchmark() : GeneratedFileBenchmark(
    "validate-csv", "Validate a generated 100,000-row CSV (accepted): rows/s and peak memory", "submission.csv", 4_000, new ValidationOptions());

internal sealed class ValidateJsonBenchmark() : GeneratedFileBenchmark(
    "validate-json", "Validate a generated 100,000-row JSON (accepted): rows/s and peak memory", "submission.json", 4_000, new ValidationOptions());

internal sealed class ValidateXlsxBenchmark() : GeneratedFileBenchmark(
    "validate-xlsx", "Validate a generated 100,000-row XLSX workbook (accepted): rows/s and peak memory", "submission.xlsx", 4_000, new ValidationOptions());

/// <summary>A 1,000,000-row CSV (about 65 MB) with the limits raised: memory grows with the rows kept, not with the file.</summary>
internal sealed class ValidateMillionRowsBenchmark() : GeneratedFileBenchmark(
    "validate-csv-1m", "Validate a 1,000,000-row CSV with the row and size limits raised: rows/s and peak memory", "submission.csv", 40_000,
    new ValidationOptions { MaxMeasureRows = 1_000_000, MaxFileBytes = 1024L * 1024 * 1024 });

/// <summary>A 200 MB file is refused by its size without being read.</summary>
internal sealed class ValidateOversizeBenchmark : IBenchmark
{
    public string Name => "validate-oversize";

    public string Description => "A 200 MB CSV is refused by size (E001) without reading: time and peak memory";

    public async Task<IReadOnlyList<Metric>> RunAsync(string workDirectory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(workDirectory, "huge.csv");
        await using (var file = File.Create(path))
        {
            file.SetLength(200L * 1024 * 1024);
        }

        return await ValidateRun.FileAsync(path, ReferenceData.Embedded, new ValidationOptions(), "E001", cancellationToken);
    }
}

/// <summary>A 10 MB run of '[' is refused at depth 16 after reading a few bytes of it.</summary>
internal sealed class ValidateDeepJsonBenchmark : IBenchmark
{
    public string Name => "validate-deep-json";

    public string Description => "JSON nested 10,000,000 levels deep (10 MB) is refused (E008): time and peak memory";

    public async Task<IReadOnlyList<Metric>> RunAsync(string workDirectory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(workDirectory, "deep.json");
        await using (var file = File.Create(path))
        {
            await file.WriteAsync("{\"measures\": "u8.ToArray(), cancellationToken);
            var brackets = new byte[1024 * 1024];
            Array.Fill(brackets, (byte)'[');
            for (var i = 0; i < 10; i++)
            {
                await file.WriteAsync(brackets, cancellationToken);
            }
        }

        return await ValidateRun.FileAsync(path, ReferenceData.Embedded, new ValidationOptions(), "E008", cancellationToken);
    }
}

internal static class ValidateRun
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public static async Task<IReadOnlyList<Metric>> GeneratedAsync(
        string workDirectory, string fileName, int indicators, ValidationOptions options, CancellationToken cancellationToken)
    {
        var path = Path.Combine(workDirectory, fileName);
        var submission = GeneratedSubmission.Create(indicators);
        await using (var file = File.Create(path))
        {
            await (Path.GetExtension(fileName) switch
            {
                ".json" => SubmissionWriter.WriteJsonAsync(submission, file, cancellationToken),
                ".xlsx" => SubmissionWriter.WriteXlsxAsync(submission, file, cancellationToken),
                _ => SubmissionWriter.WriteCsvAsync(submission, file, cancellationToken),
            });
        }

        return await FileAsync(path, GeneratedSubmission.Reference(indicators), options, null, cancellationToken);
    }

    /// <param name="expectedCode">The error the file must be rejected with, or null when it must be accepted.</param>
    public static async Task<IReadOnlyList<Metric>> FileAsync(
        string path, ReferenceData reference, ValidationOptions options, string? expectedCode, CancellationToken cancellationToken)
    {
        var validator = new SubmissionValidator(reference, options, new FixedTime(Now));
        var size = new FileInfo(path).Length;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        ValidationResult result;
        await using (var file = File.OpenRead(path))
        {
            result = await validator.ValidateAsync(file, new SubmissionInput(Path.GetFileName(path), size, new DropPath("R0A", "2026-10", Path.GetFileName(path))), cancellationToken);
        }

        watch.Stop();
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        var codes = string.Join(",", result.Report.Groups.Select(g => g.Code));
        if (expectedCode is null ? !result.Report.IsAccepted : codes != expectedCode)
        {
            throw new InvalidOperationException($"Unexpected outcome {result.Report.Outcome} ({codes}); expected {expectedCode ?? "accepted"}.");
        }

        var rows = result.Report.RowCount;
        return
        [
            new("file size", size / (1024.0 * 1024.0), "MB"),
            new("rows", rows, "rows"),
            new("elapsed", watch.Elapsed.TotalMilliseconds, "ms"),
            new("cpu time (all threads)", cpuMs, "ms"),
            // On a shared machine wall-clock throughput swings with the load; rows per CPU-second is the stable figure.
            .. rows > 0
                ? [new Metric("throughput", rows / watch.Elapsed.TotalSeconds, "rows/s"), new Metric("throughput per cpu-second", rows / (cpuMs / 1000), "rows/s")]
                : Array.Empty<Metric>(),
            new("managed heap after", GC.GetTotalMemory(forceFullCollection: false) / (1024.0 * 1024.0), "MB"),
        ];
    }
}

/// <summary>The generated files report 2026-10; "now" is fixed after it so the period is never in the future.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>A workbook whose shared-string table holds 11 million strings (13 MB compressed): refused, memory bounded.</summary>
internal sealed class ValidateXlsxSharedStringsBenchmark : IBenchmark
{
    public string Name => "validate-xlsx-shared-strings";

    public string Description => "XLSX with 11 million shared strings (~13 MB) is refused (E013) before ExcelDataReader loads the table: time and peak memory";

    public async Task<IReadOnlyList<Metric>> RunAsync(string workDirectory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(workDirectory, "strings.xlsx");
        await using (var file = File.Create(path))
        using (var zip = new System.IO.Compression.ZipArchive(file, System.IO.Compression.ZipArchiveMode.Create))
        {
            await WriteAsync(zip, "[Content_Types].xml", """<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>""");
            await WriteAsync(zip, "xl/workbook.xml", """<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="measures" sheetId="1"/></sheets></workbook>""");
            await WriteAsync(zip, "xl/worksheets/sheet1.xml", """<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>""");
            var entry = zip.CreateEntry("xl/sharedStrings.xml", System.IO.Compression.CompressionLevel.Optimal);
            await using var part = entry.Open();
            await using var writer = new StreamWriter(part);
            const int Strings = 11_000_000;
            await writer.WriteAsync($"""<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{Strings}" uniqueCount="{Strings}">""");
            // One random character each: the table stays under the 10x expansion limit (187 MB) and compresses only about
            // 15 to 1, so neither zip-bomb check catches it; only counting the strings does.
            const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
            var random = new Random(11);
            for (var i = 0; i < Strings; i++)
            {
                await writer.WriteAsync("<si><t>");
                await writer.WriteAsync(Alphabet[random.Next(Alphabet.Length)]);
                await writer.WriteAsync("</t></si>");
            }

            await writer.WriteAsync("</sst>");
        }

        return await ValidateRun.FileAsync(path, ReferenceData.Embedded, new ValidationOptions(), "E013", cancellationToken);
    }

    private static async Task WriteAsync(System.IO.Compression.ZipArchive zip, string name, string text)
    {
        await using var writer = new StreamWriter(zip.CreateEntry(name).Open());
        await writer.WriteAsync(text);
    }
}
