using System.Globalization;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using Pipeline.Core.Validation;

namespace Pipeline.Core.Submissions.Reading;

/// <summary>How a tabular format names a place: CSV line + column name, XLSX sheet + A1 cell.</summary>
internal abstract class TabularLayout
{
    /// <param name="row">1-based line (CSV) or Excel row (XLSX).</param>
    /// <param name="column">0-based column index, or null for the row as a whole.</param>
    public abstract IssueLocation At(long row, int? column, string? header, string? pointer);

    /// <summary>Excel column letters for a 0-based index: 0 → A, 25 → Z, 26 → AA.</summary>
    public static string ColumnLetters(int column)
    {
        var letters = string.Empty;
        for (var n = column + 1; n > 0; n = (n - 1) / 26)
        {
            letters = (char)('A' + ((n - 1) % 26)) + letters;
        }

        return letters;
    }
}

internal sealed class CsvLayout : TabularLayout
{
    public override IssueLocation At(long row, int? column, string? header, string? pointer) =>
        new(JsonPointer: pointer, Line: row, Column: header ?? (column is { } c ? "column " + ColumnLetters(c) : null));
}

internal sealed class XlsxLayout(string sheet) : TabularLayout
{
    public override IssueLocation At(long row, int? column, string? header, string? pointer) =>
        new(JsonPointer: pointer, Line: column is null ? row : null, Column: header, Sheet: sheet,
            Cell: column is { } c ? ColumnLetters(c) + row.ToString(CultureInfo.InvariantCulture) : null);
}

/// <summary>One cell as read: the JSON value the schema judges (null when empty) and the text the submitter sees.</summary>
internal readonly record struct Cell(JToken? Value, string Text, bool OutOfRange = false)
{
    public bool IsEmpty => Value is null && !OutOfRange;

    public static Cell Empty { get; } = new(null, string.Empty);
}

/// <summary>
/// The part CSV and XLSX share: a header row mapped to contract fields (case/space-insensitive, any order), each data
/// row turned into one measure record, and the envelope columns (organisation, period, version, sender) checked to be
/// constant over the file and turned into the envelope record.
/// </summary>
internal sealed partial class TabularSubmission(ISubmissionSink sink, TabularLayout layout)
{
    private readonly Dictionary<string, int> _columns = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _unlisted = [];
    private readonly Dictionary<string, (Cell Cell, IssueLocation Location)> _envelope = new(StringComparer.Ordinal);
    private readonly List<string> _missing = [];
    private readonly HashSet<int> _duplicates = [];
    private readonly HashSet<int> _headerless = [];
    private string[] _headers = [];
    private string?[] _fieldAt = [];
    private long _headerRow;
    private int _index = -1;

    private TabularLayout Layout => layout;

    /// <summary>The contract field a column holds, or null for unknown and blank columns.</summary>
    public string? FieldAt(int column) => column < _fieldAt.Length ? _fieldAt[column] : null;

    // [0-9], not \d: .NET's \d also matches other scripts' digits, which long.TryParse then refuses as "out of range".
    [GeneratedRegex(@"^[+-]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[+-]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Decimal();

    /// <summary>Maps the header row; false (after reporting it) when the row is not a header at all, and reading should stop.</summary>
    public bool Header(IReadOnlyList<string> cells, long row)
    {
        var names = cells.Select(SubmissionFields.NormaliseHeader).ToList();
        if (!names.Any(n => SubmissionFields.Envelope.Contains(n) || SubmissionFields.Measure.Contains(n)))
        {
            // A title row above the header, or a file with no header: one message rather than every column "missing".
            var found = string.Join(", ", cells.Select(c => c.Trim()).Where(c => c.Length > 0).Take(4));
            sink.Issue(ErrorCatalogue.NoHeaderRow, layout.At(row, null, null, null), null, Args.Of("found", found));
            sink.Stop();
            return false;
        }

        _headerRow = row;
        _headers = [.. cells.Select(c => c.Trim())];
        for (var i = 0; i < cells.Count; i++)
        {
            var name = SubmissionFields.NormaliseHeader(cells[i]);
            if (name.Length == 0)
            {
                continue;
            }

            var known = SubmissionFields.Envelope.Contains(name) || SubmissionFields.Measure.Contains(name);
            if (known && _columns.ContainsKey(name))
            {
                _duplicates.Add(i);
                sink.Issue(ErrorCatalogue.DuplicateColumn, layout.At(row, i, _headers[i], null), _headers[i], Args.Of("column", name));
            }
            else if (known)
            {
                _columns[name] = i;
            }
            else
            {
                _unlisted[i] = _headers[i];
                var meant = Suggestions.Header(_headers[i]) is { } field && !_columns.ContainsKey(field) && !names.Contains(field)
                    ? field
                    : null;
                sink.Issue(ErrorCatalogue.UnknownField, layout.At(row, i, _headers[i], null), _headers[i], Args.Of("field", _headers[i]),
                    Args.Of("suggestion", meant is null ? string.Empty : $" Did you mean {meant}?"),
                    Args.Of("hint", ErrorCatalogue.UnknownFieldHint(meant is null ? null : $"to {meant}")));
            }
        }

        _fieldAt = new string?[cells.Count];
        foreach (var (field, column) in _columns)
        {
            _fieldAt[column] = field;
        }

        foreach (var required in SubmissionFields.RequiredColumns.Where(r => !_columns.ContainsKey(r) && !sink.Supplies(r)))
        {
            _missing.Add(required);
            sink.Issue(ErrorCatalogue.MissingColumn, layout.At(row, null, null, null), null, Args.Of("column", required));
        }

        return true;
    }

    /// <summary>Maps one data row; blank rows (every cell empty) are skipped, as spreadsheets leave them at the end.</summary>
    public void Row(IReadOnlyList<Cell> cells, long row)
    {
        if (AllEmpty(cells))
        {
            return;
        }

        _index++;
        var record = new RawRecord(_index, new Locator(this, row, _index));
        foreach (var field in SubmissionFields.Measure)
        {
            if (!_columns.TryGetValue(field, out var column))
            {
                record.Reported.Add(field);
                continue;
            }

            var cell = column < cells.Count ? cells[column] : Cell.Empty;
            Put(record, field, cell);
        }

        foreach (var field in SubmissionFields.Envelope)
        {
            if (_columns.TryGetValue(field, out var column) && column < cells.Count && !cells[column].IsEmpty)
            {
                Constant(field, cells[column], row, column);
            }
        }

        for (var i = 0; i < cells.Count; i++)
        {
            if (cells[i].IsEmpty || FieldAt(i) is not null || _duplicates.Contains(i))
            {
                continue;
            }

            if (_unlisted.TryGetValue(i, out var name))
            {
                record.Unlisted.Add((name, cells[i].Text, layout.At(row, i, name, null)));
            }
            else
            {
                record.Unlisted.Add((TabularLayout.ColumnLetters(i), cells[i].Text, layout.At(row, i, null, null)));
                if (!_headerless.Add(i))
                {
                    // Once per column: the first value found is enough to show where the stray column is.
                    continue;
                }

                sink.Issue(ErrorCatalogue.ValueWithoutHeader, layout.At(row, i, null, null), cells[i].Text, Args.Of("column", TabularLayout.ColumnLetters(i)));
            }
        }

        sink.Measure(record);
    }

    private static bool AllEmpty(IReadOnlyList<Cell> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (!cells[i].IsEmpty)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Hands over the envelope gathered from the constant columns.</summary>
    public void Finish()
    {
        var envelope = new RawRecord(null, new Locator(this, _headerRow, null));
        envelope.Set(SubmissionFields.Measures, new JArray(), "(rows)");
        foreach (var (field, (cell, _)) in _envelope)
        {
            Put(envelope, field, cell);
        }

        foreach (var missing in _missing)
        {
            envelope.Reported.Add(missing);
        }

        if (_index < 0)
        {
            // No data rows: the envelope columns have nothing to say, and "no measures" is the one thing to report.
            envelope.Reported.UnionWith(SubmissionFields.Envelope);
        }

        sink.Envelope(envelope);
    }

    /// <summary>The value a text cell stands for: counts that look numeric become numbers, everything else stays text.</summary>
    public static Cell FromText(string field, string raw)
    {
        var text = raw.Trim();
        if (text.Length == 0)
        {
            return Cell.Empty;
        }

        if (!SubmissionFields.IsCount(field))
        {
            return new Cell(new JValue(text), text);
        }

        if (Integer().IsMatch(text))
        {
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)
                ? new Cell(new JValue(whole), text)
                : new Cell(null, text, OutOfRange: true);
        }

        if (Decimal().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return FromNumber(real, text);
        }

        return new Cell(new JValue(text), text);
    }

    /// <summary>A numeric value: whole numbers within range become integers, others stay real (and fail the schema).</summary>
    public static Cell FromNumber(double value, string text) =>
        !double.IsFinite(value) || Math.Abs(value) >= 1e15 ? new Cell(null, text, OutOfRange: true)
        : value == Math.Floor(value) ? new Cell(new JValue((long)value), text)
        : new Cell(new JValue(value), text);

    private void Put(RawRecord record, string field, Cell cell)
    {
        if (cell.OutOfRange)
        {
            record.SetText(field, cell.Text);
            record.Reported.Add(field);
            sink.Issue(ErrorCatalogue.NumberOutOfRange, record.Locator.Field(field), cell.Text, Args.Of("field", field));
        }
        else if (cell.Value is not null)
        {
            record.Set(field, cell.Value, cell.Text);
        }
    }

    /// <remarks>The location is made only when it is kept or reported: on every other row the value just repeats the first.</remarks>
    private void Constant(string field, Cell cell, long row, int column)
    {
        if (!_envelope.TryGetValue(field, out var first))
        {
            _envelope[field] = (cell, layout.At(row, column, _headers[column], "/" + field));
        }
        else if (!string.Equals(first.Cell.Text, cell.Text, StringComparison.Ordinal))
        {
            sink.Issue(ErrorCatalogue.ValueVaries, layout.At(row, column, _headers[column], "/" + field), cell.Text,
                Args.Of("field", field), Args.Of("first", first.Cell.Text));
        }
    }

    /// <remarks>Kept for every accepted row (whole-file messages point back at rows), so it holds numbers, not text.</remarks>
    private sealed class Locator(TabularSubmission table, long row, int? index) : IRecordLocator
    {
        private string? Pointer => index is { } i ? $"/{SubmissionFields.Measures}/{i}" : null;

        public IssueLocation Record => table.Layout.At(row, null, null, Pointer);

        public IssueLocation Field(string field)
        {
            var pointer = Pointer;
            if (pointer is null)
            {
                // Envelope: where the value was first seen, or the header row when the column is absent.
                return table._envelope.TryGetValue(field, out var seen) ? seen.Location
                    : table.Layout.At(row, null, null, "/" + field);
            }

            return table._columns.TryGetValue(field, out var column)
                ? table.Layout.At(row, column, table._headers[column], pointer + "/" + field)
                : table.Layout.At(row, null, null, pointer + "/" + field);
        }
    }
}
