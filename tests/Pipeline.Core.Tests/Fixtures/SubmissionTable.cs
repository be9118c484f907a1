using System.Globalization;
using System.Text;
using ClosedXML.Excel;
using Pipeline.Core.Model;
using Pipeline.Core.Submissions.Reading;
using Pipeline.Core.Submissions.Writing;

namespace Pipeline.Core.Tests.Fixtures;

/// <summary>
/// A submission as the cells a trust would type, so a test can put any wrong value anywhere and then write the same
/// content as a real JSON, CSV or XLSX file. Counts that look like whole numbers are written as numbers (JSON numbers,
/// Excel numeric cells), everything else as text, as a person or export tool would.
/// </summary>
internal sealed partial class SubmissionTable
{
    public const string Json = "json";
    public const string Csv = "csv";
    public const string Xlsx = "xlsx";

    public static readonly string[] Formats = [Json, Csv, Xlsx];

    /// <summary>Column order for CSV and XLSX: A organisation_code … G denominator, H submitted_by, I schema_version.</summary>
    public static readonly string[] Columns =
        [SubmissionFields.OrganisationCode, SubmissionFields.ReportingPeriod, .. SubmissionFields.Measure, SubmissionFields.SubmittedBy, SubmissionFields.SchemaVersion];

    public Dictionary<string, string?> Envelope { get; } = new(StringComparer.Ordinal);

    /// <summary>Each row: indicator, breakdown, group, numerator, denominator (null = empty cell / absent property).</summary>
    public List<string?[]> Rows { get; } = [];

    public static SubmissionTable From(Submission submission)
    {
        var table = new SubmissionTable();
        table.Envelope[SubmissionFields.OrganisationCode] = submission.OrganisationCode;
        table.Envelope[SubmissionFields.ReportingPeriod] = submission.ReportingPeriod.ToString();
        table.Envelope[SubmissionFields.SubmittedBy] = submission.SubmittedBy;
        table.Envelope[SubmissionFields.SchemaVersion] = submission.SchemaVersion;
        foreach (var m in submission.Measures)
        {
            table.Rows.Add([m.IndicatorCode, m.Breakdown.ToWire(), m.GroupCode,
                m.Numerator.ToString(CultureInfo.InvariantCulture), m.Denominator.ToString(CultureInfo.InvariantCulture)]);
        }

        return table;
    }

    public static SubmissionTable Valid() => From(Submissions.Valid());

    /// <summary>Index of the row with this key (indicator/breakdown/group).</summary>
    public int RowOf(string key) => Rows.FindIndex(r => $"{r[0]}/{r[1]}/{r[2]}" == key);

    public SubmissionTable Set(string key, string field, string? value)
    {
        Rows[RowOf(key)][SubmissionFields.Measure.ToList().IndexOf(field)] = value;
        return this;
    }

    /// <summary>The same value in one column of every row (a whole column typed wrong).</summary>
    public SubmissionTable SetAll(string field, string? value)
    {
        var column = SubmissionFields.Measure.ToList().IndexOf(field);
        foreach (var row in Rows)
        {
            row[column] = value;
        }

        return this;
    }

    public SubmissionTable Remove(string key)
    {
        Rows.RemoveAt(RowOf(key));
        return this;
    }

    public SubmissionTable Add(params string?[] row)
    {
        Rows.Add(row);
        return this;
    }

    public SubmissionTable SetEnvelope(string field, string? value)
    {
        Envelope[field] = value;
        return this;
    }

    public byte[] Render(string format) => format switch
    {
        Json => Encoding.UTF8.GetBytes(ToJson()),
        Csv => Encoding.UTF8.GetBytes(ToCsv()),
        Xlsx => ToXlsx(),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    public string ToJson()
    {
        var text = new StringBuilder("{\n");
        foreach (var (field, value) in Envelope.Where(e => e.Value is not null))
        {
            text.Append(CultureInfo.InvariantCulture, $"  \"{field}\": {JsonString(value!)},\n");
        }

        text.Append("  \"measures\": [");
        for (var r = 0; r < Rows.Count; r++)
        {
            var members = SubmissionFields.Measure.Select((f, i) => (f, v: Rows[r][i]))
                .Where(x => x.v is not null)
                .Select(x => $"\"{x.f}\": {(SubmissionFields.IsCount(x.f) && JsonNumber().IsMatch(x.v!) ? x.v : JsonString(x.v!))}");
            text.Append(r == 0 ? "\n" : ",\n").Append("    { ").AppendJoin(", ", members).Append(" }");
        }

        return text.Append("\n  ]\n}\n").ToString();
    }

    public string ToCsv()
    {
        var text = new StringBuilder(string.Join(',', Columns)).Append('\n');
        foreach (var row in Rows)
        {
            text.AppendJoin(',', Cells(row).Select(c => SubmissionWriter.Quote(c ?? string.Empty))).Append('\n');
        }

        return text.ToString();
    }

    public byte[] ToXlsx(string sheetName = "measures", Action<IXLWorkbook>? extra = null)
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.Worksheets.Add(sheetName);
        for (var c = 0; c < Columns.Length; c++)
        {
            sheet.Cell(1, c + 1).SetValue(Columns[c]);
        }

        for (var r = 0; r < Rows.Count; r++)
        {
            var cells = Cells(Rows[r]);
            for (var c = 0; c < cells.Length; c++)
            {
                var cell = sheet.Cell(r + 2, c + 1);
                if (cells[c] is null)
                {
                    continue;
                }

                // Whole numbers in count and group columns are numeric cells, as Excel stores what an analyst types.
                if ((SubmissionFields.IsCount(Columns[c]) || Columns[c] == SubmissionFields.Group) &&
                    double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !cells[c]!.Contains('%', StringComparison.Ordinal))
                {
                    cell.SetValue(number);
                }
                else
                {
                    cell.SetValue(cells[c]);
                    cell.DataType = XLDataType.Text;
                }
            }
        }

        extra?.Invoke(workbook);
        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        return stream.ToArray();
    }

    private string?[] Cells(string?[] row) =>
        [Envelope.GetValueOrDefault(SubmissionFields.OrganisationCode), Envelope.GetValueOrDefault(SubmissionFields.ReportingPeriod),
            .. row, Envelope.GetValueOrDefault(SubmissionFields.SubmittedBy), Envelope.GetValueOrDefault(SubmissionFields.SchemaVersion)];

    [System.Text.RegularExpressions.GeneratedRegex(@"^-?\d+(\.\d+)?$")]
    private static partial System.Text.RegularExpressions.Regex JsonNumber();

    private static string JsonString(string value) => System.Text.Json.JsonSerializer.Serialize(value);
}
