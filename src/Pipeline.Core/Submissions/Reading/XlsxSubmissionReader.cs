using System.Globalization;
using System.IO.Compression;
using System.Text;
using ExcelDataReader;
using Newtonsoft.Json.Linq;
using Pipeline.Core.Validation;

namespace Pipeline.Core.Submissions.Reading;

/// <summary>
/// Reads an XLSX submission with ExcelDataReader, row by row from the worksheet named <c>measures</c> (else the first).
/// Before opening, the zip directory is checked so a damaged file, an old .xls, a renamed CSV or a zip bomb gets a clear
/// error instead of an exception or a memory blow-up. Locations are the sheet and the A1 cell Excel shows.
/// </summary>
internal sealed class XlsxSubmissionReader(ValidationOptions options) : ISubmissionReader
{
    public const string PreferredSheet = "measures";

    /// <summary>Uncompressed parts larger than this many times the file limit are refused as a zip bomb.</summary>
    private const int MaxExpansionOfLimit = 10;

    /// <summary>Any part compressing better than this (with some size to it) is not a real worksheet.</summary>
    private const int MaxRatio = 200;

    public async Task ReadAsync(Stream content, ISubmissionSink sink, CancellationToken cancellationToken)
    {
        // A zip is read from its end (the central directory): it needs a seekable stream. Files and blobs opened for
        // reading usually are; otherwise the compressed bytes (at most the size limit) are buffered once.
        var seekable = content;
        MemoryStream? buffered = null;
        if (!content.CanSeek)
        {
            buffered = new MemoryStream();
            await content.CopyToAsync(buffered, cancellationToken).ConfigureAwait(false);
            buffered.Position = 0;
            seekable = buffered;
        }

        try
        {
            if (Problem(seekable) is { } problem)
            {
                sink.Issue(problem.Definition, new IssueLocation(), null, problem.Arguments);
                sink.Stop();
                return;
            }

            Read(seekable, sink, cancellationToken);
        }
        finally
        {
            if (buffered is not null)
            {
                await buffered.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private (ErrorDefinition Definition, IReadOnlyList<KeyValuePair<string, string>> Arguments)? Problem(Stream stream)
    {
        Span<byte> head = stackalloc byte[8];
        var start = stream.Position;
        var got = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = start;
        if (got == 0)
        {
            return (ErrorCatalogue.EmptyFile, []);
        }

        if (!head[..got].StartsWith("PK\u0003\u0004"u8))
        {
            var what = head[..got].StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0])
                ? "it is an old Excel 97-2003 (.xls) file; open it in Excel and save as 'Excel Workbook (*.xlsx)'"
                : LooksLikeText(head[..got])
                    ? "it is text, not a workbook (a CSV or JSON file named .xlsx?); give it its real extension"
                    : "it is not an Excel workbook";
            return Unreadable(what);
        }

        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            long expanded = 0;
            foreach (var entry in zip.Entries)
            {
                expanded += entry.Length;
                if (entry.Length > 1024 * 1024 && entry.Length / Math.Max(1, entry.CompressedLength) > MaxRatio)
                {
                    return (ErrorCatalogue.WorkbookTooExpanded, [Args.Of("expanded", ErrorCatalogue.Bytes(expanded)),
                        Args.Of("detail", $"part '{entry.FullName}' is compressed {entry.Length / Math.Max(1, entry.CompressedLength):N0} to 1")]);
                }
            }

            if (expanded > options.MaxFileBytes * MaxExpansionOfLimit)
            {
                return (ErrorCatalogue.WorkbookTooExpanded, [Args.Of("expanded", ErrorCatalogue.Bytes(expanded)),
                    Args.Of("detail", $"more than {MaxExpansionOfLimit} times the {ErrorCatalogue.Bytes(options.MaxFileBytes)} file limit")]);
            }

            if (zip.GetEntry("xl/workbook.xml") is null)
            {
                return Unreadable("it is a zip file but not an Excel workbook (no xl/workbook.xml)");
            }

            // ExcelDataReader keeps the whole shared-string table in memory (11 million strings took 600 MB), so the table is
            // counted first, streaming and holding nothing: a submission's cells cannot need more strings than this.
            var maxStrings = (options.MaxMeasureRows + 2L) * SharedStringsPerRow;
            if (zip.GetEntry("xl/sharedStrings.xml") is { } strings && CountSharedStrings(strings, maxStrings) > maxStrings)
            {
                return (ErrorCatalogue.WorkbookTooExpanded, [Args.Of("expanded", ErrorCatalogue.Bytes(expanded)),
                    Args.Of("detail", $"its shared-string table holds more than {maxStrings:N0} strings, more than {options.MaxMeasureRows:N0} rows of a submission can use")]);
            }
        }
        catch (InvalidDataException)
        {
            return Unreadable("the zip structure is damaged (was the upload or download cut short?)");
        }
        finally
        {
            stream.Position = start;
        }

        return null;
    }

    /// <summary>Text cells a measure row can hold (the contract's nine columns).</summary>
    private const int SharedStringsPerRow = 9;

    /// <summary>The number of <c>si</c> entries, counted up to just past <paramref name="limit"/>.</summary>
    private static long CountSharedStrings(ZipArchiveEntry entry, long limit)
    {
        using var part = entry.Open();
        using var xml = System.Xml.XmlReader.Create(part, new System.Xml.XmlReaderSettings
        {
            DtdProcessing = System.Xml.DtdProcessing.Prohibit,
            IgnoreWhitespace = true,
            IgnoreComments = true,
        });
        long count = 0;
        try
        {
            xml.Read();
            while (count <= limit && !xml.EOF)
            {
                if (xml.NodeType == System.Xml.XmlNodeType.Element && xml.Depth == 1 && xml.LocalName == "si")
                {
                    count++;
                    xml.Skip();
                }
                else if (!xml.Read())
                {
                    break;
                }
            }
        }
        catch (System.Xml.XmlException)
        {
            // A damaged table is ExcelDataReader's to report, as for any damaged part.
        }

        return count;
    }

    private static bool LooksLikeText(ReadOnlySpan<byte> head)
    {
        var text = head.StartsWith("\uFEFF"u8) ? head[3..] : head;
        foreach (var b in text)
        {
            if (b is not ((>= 0x20 and < 0x7F) or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }

    private static (ErrorDefinition, IReadOnlyList<KeyValuePair<string, string>>) Unreadable(string detail) =>
        (ErrorCatalogue.Unreadable, [Args.Of("format", "an Excel workbook (.xlsx)"), Args.Of("detail", detail)]);

    private static void Read(Stream stream, ISubmissionSink sink, CancellationToken cancellationToken)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        try
        {
            using var reader = ExcelReaderFactory.CreateOpenXmlReader(stream, new ExcelReaderConfiguration { LeaveOpen = true });
            var sheet = ChooseSheet(reader);
            var table = new TabularSubmission(sink, new XlsxLayout(sheet));
            var header = false;
            var row = 0L;
            var cells = new List<Cell>();
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                row++;
                if (!header)
                {
                    var names = Enumerable.Range(0, reader.FieldCount).Select(i => HeaderText(reader.GetValue(i))).ToList();
                    if (names.All(string.IsNullOrWhiteSpace))
                    {
                        continue;
                    }

                    header = true;
                    if (!table.Header(names, row))
                    {
                        return;
                    }

                    continue;
                }

                cells.Clear();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    cells.Add(CellOf(table.FieldAt(i), reader.GetValue(i), reader.GetNumberFormatString(i)));
                }

                table.Row(cells, row);
            }

            if (!header)
            {
                sink.Issue(ErrorCatalogue.NoSheet, new IssueLocation(Sheet: sheet));
                sink.Stop();
                return;
            }

            table.Finish();
        }
        catch (Exception ex) when (ex.Source is "ExcelDataReader" or "System.IO.Compression" or "System.Private.Xml")
        {
            // ExcelDataReader signals damaged parts with assorted exception types; to the submitter they are one thing.
            // Only exceptions raised by the workbook libraries are caught: a fault in our own code still surfaces.
            sink.Issue(ErrorCatalogue.Unreadable, new IssueLocation(), null, Args.Of("format", "an Excel workbook (.xlsx)"),
                Args.Of("detail", "part of the workbook is damaged or not in the Excel format (" + ex.GetType().Name + ")"));
            sink.Stop();
        }
    }

    private static string ChooseSheet(IExcelDataReader reader)
    {
        var names = new List<string>();
        do
        {
            names.Add(reader.Name ?? string.Empty);
        }
        while (reader.NextResult());

        var index = names.FindIndex(n => string.Equals(n.Trim(), PreferredSheet, StringComparison.OrdinalIgnoreCase));
        index = Math.Max(index, 0);
        reader.Reset();
        for (var i = 0; i < index; i++)
        {
            reader.NextResult();
        }

        return names[index];
    }

    private static string HeaderText(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    /// <summary>What a spreadsheet cell stands for: numbers stay numbers only in count columns; dates typed as months become YYYY-MM.</summary>
    internal static Cell CellOf(string? field, object? value, string? numberFormat)
    {
        var name = field ?? string.Empty;
        switch (value)
        {
            case null:
                return Cell.Empty;
            case string text:
                return TabularSubmission.FromText(name, text);
            case bool flag:
                var shown = flag ? "TRUE" : "FALSE";
                return SubmissionFields.IsCount(name) ? new Cell(new JValue(flag), shown) : new Cell(new JValue(shown), shown);
            case DateTime date:
                // Excel turns a typed "2026-10" into 1 Oct 2026; that is unambiguously the month. Any other date is shown as written.
                var dateText = name == SubmissionFields.ReportingPeriod && date.Day == 1 && date.TimeOfDay == TimeSpan.Zero
                    ? date.ToString("yyyy-MM", CultureInfo.InvariantCulture)
                    : date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                return new Cell(new JValue(dateText), dateText);
            case double or float or int or long or decimal:
                var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (numberFormat?.Contains('%', StringComparison.Ordinal) == true)
                {
                    // Shown as a percentage in Excel: report it the way the analyst sees it, and never read it as a count.
                    var percent = (number * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";
                    return new Cell(new JValue(percent), percent);
                }

                var plain = number.ToString("R", CultureInfo.InvariantCulture);
                return SubmissionFields.IsCount(name) ? TabularSubmission.FromNumber(number, plain) : TabularSubmission.FromText(name, plain);
            default:
                return TabularSubmission.FromText(name, Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
        }
    }
}
