using System.Globalization;
using System.IO.Compression;
using System.Xml;
using Pipeline.Core.Model;
using Pipeline.Core.Submissions.Reading;

namespace Pipeline.Core.Submissions.Writing;

/// <summary>
/// Writes a submission as a minimal Excel workbook (one worksheet, <c>measures</c>, same columns as the CSV form),
/// streaming rows into the zip entry so a 100,000-row workbook is never built in memory. Text cells are inline strings
/// (no shared-string table to hold), counts are numeric cells. Used for fixtures, benchmarks and demo data.
/// </summary>
internal static class XlsxSubmissionWriter
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Relationships = "http://schemas.openxmlformats.org/package/2006/relationships";
    private const string OfficeRelationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    private const string ContentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>
        """;

    private const string PackageRelationships = $"""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="{Relationships}"><Relationship Id="rId1" Type="{OfficeRelationships}/officeDocument" Target="xl/workbook.xml"/></Relationships>
        """;

    private const string Workbook = $"""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="{Main}" xmlns:r="{OfficeRelationships}"><sheets><sheet name="{XlsxSubmissionReader.PreferredSheet}" sheetId="1" r:id="rId1"/></sheets></workbook>
        """;

    private const string WorkbookRelationships = $"""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="{Relationships}"><Relationship Id="rId1" Type="{OfficeRelationships}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{OfficeRelationships}/styles" Target="styles.xml"/></Relationships>
        """;

    /// <summary>The one default style; some readers (ClosedXML) cannot type cells without a style sheet.</summary>
    private const string Styles = $"""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="{Main}"><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="1"><xf/></cellXfs></styleSheet>
        """;

    public static async Task WriteAsync(Submission submission, Stream destination, CancellationToken cancellationToken)
    {
        var zip = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        await using (zip.ConfigureAwait(false))
        {
            await TextEntryAsync(zip, "[Content_Types].xml", ContentTypes, cancellationToken).ConfigureAwait(false);
            await TextEntryAsync(zip, "_rels/.rels", PackageRelationships, cancellationToken).ConfigureAwait(false);
            await TextEntryAsync(zip, "xl/workbook.xml", Workbook, cancellationToken).ConfigureAwait(false);
            await TextEntryAsync(zip, "xl/_rels/workbook.xml.rels", WorkbookRelationships, cancellationToken).ConfigureAwait(false);
            await TextEntryAsync(zip, "xl/styles.xml", Styles, cancellationToken).ConfigureAwait(false);
            var sheet = await zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Fastest).OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (sheet.ConfigureAwait(false))
            {
                await WriteSheetAsync(submission, sheet, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task WriteSheetAsync(Submission submission, Stream sheet, CancellationToken cancellationToken)
    {
        var xml = XmlWriter.Create(sheet, new XmlWriterSettings { Async = true, Encoding = new System.Text.UTF8Encoding(false) });
        await using (xml.ConfigureAwait(false))
        {
            await xml.WriteStartDocumentAsync(standalone: true).ConfigureAwait(false);
            await xml.WriteStartElementAsync(null, "worksheet", Main).ConfigureAwait(false);
            await xml.WriteStartElementAsync(null, "sheetData", Main).ConfigureAwait(false);
            string[] header = [SubmissionFields.OrganisationCode, SubmissionFields.ReportingPeriod, .. SubmissionFields.Measure, SubmissionFields.SchemaVersion, SubmissionFields.SubmittedBy];
            await RowAsync(xml, 1, [.. header.Select(h => (object)h)]).ConfigureAwait(false);
            for (var i = 0; i < submission.Measures.Count; i++)
            {
                var m = submission.Measures[i];
                await RowAsync(xml, i + 2,
                [
                    submission.OrganisationCode, submission.ReportingPeriod.ToString(), m.IndicatorCode, m.Breakdown.ToWire(), m.GroupCode,
                    m.Numerator, m.Denominator, submission.SchemaVersion, submission.SubmittedBy ?? string.Empty,
                ]).ConfigureAwait(false);
                if (i % 1000 == 999)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await xml.FlushAsync().ConfigureAwait(false);
                }
            }

            await xml.WriteEndElementAsync().ConfigureAwait(false);
            await xml.WriteEndElementAsync().ConfigureAwait(false);
            await xml.WriteEndDocumentAsync().ConfigureAwait(false);
        }
    }

    private static async Task RowAsync(XmlWriter xml, int row, object[] cells)
    {
        var r = row.ToString(CultureInfo.InvariantCulture);
        await xml.WriteStartElementAsync(null, "row", Main).ConfigureAwait(false);
        await xml.WriteAttributeStringAsync(null, "r", null, r).ConfigureAwait(false);
        for (var c = 0; c < cells.Length; c++)
        {
            await xml.WriteStartElementAsync(null, "c", Main).ConfigureAwait(false);
            await xml.WriteAttributeStringAsync(null, "r", null, TabularLayout.ColumnLetters(c) + r).ConfigureAwait(false);
            if (cells[c] is long number)
            {
                await xml.WriteElementStringAsync(null, "v", Main, number.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
            }
            else
            {
                await xml.WriteAttributeStringAsync(null, "t", null, "inlineStr").ConfigureAwait(false);
                await xml.WriteStartElementAsync(null, "is", Main).ConfigureAwait(false);
                await xml.WriteElementStringAsync(null, "t", Main, (string)cells[c]).ConfigureAwait(false);
                await xml.WriteEndElementAsync().ConfigureAwait(false);
            }

            await xml.WriteEndElementAsync().ConfigureAwait(false);
        }

        await xml.WriteEndElementAsync().ConfigureAwait(false);
    }

    private static async Task TextEntryAsync(ZipArchive zip, string name, string text, CancellationToken cancellationToken)
    {
        var entry = await zip.CreateEntry(name, CompressionLevel.Fastest).OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (entry.ConfigureAwait(false))
        {
            await entry.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        }
    }
}
