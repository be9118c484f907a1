using Pipeline.Core.Validation;

namespace Pipeline.Core.Submissions.Reading;

/// <summary>
/// Streams a CSV submission: strict UTF-8 (BOM allowed), RFC 4180 records, the first line is the header. Each record is
/// mapped and handed on before the next is read.
/// </summary>
internal sealed class CsvSubmissionReader : ISubmissionReader
{
    public async Task ReadAsync(Stream content, ISubmissionSink sink, CancellationToken cancellationToken)
    {
        var text = new Utf8TextSource(content);
        var parser = new CsvRecordParser(text);
        var layout = new CsvLayout();
        var table = new TabularSubmission(sink, layout);
        var header = false;
        var cells = new List<Cell>();
        var previous = new List<Cell>();
        var previousRaw = new List<string>();
        while (await parser.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (text.Problem is not null)
            {
                // The text ended at an encoding problem: the record in hand may be cut short, so it is not judged.
                break;
            }

            if (!header)
            {
                if (parser.Fields.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }

                if (parser.Fields.Count == 1 && parser.Fields[0].IndexOfAny([';', '\t', '|']) is var at and >= 0)
                {
                    // Excel in many European locales saves "CSV" with semicolons: say so rather than list every column as missing.
                    var separator = parser.Fields[0][at] == '\t' ? "tabs" : $"'{parser.Fields[0][at]}'";
                    sink.Issue(ErrorCatalogue.MalformedCsv, layout.At(parser.StartLine, null, null, null), null,
                        Args.Of("line", parser.StartLine), Args.Of("detail", $"the header is separated by {separator}, not commas"),
                        Args.Of("hint", ErrorCatalogue.MalformedCsvHint(parser.Fields[0][at])));
                    sink.Stop();
                    return;
                }

                header = true;
                if (!table.Header(parser.Fields, parser.StartLine))
                {
                    return;
                }

                continue;
            }

            // The parser hands a value that repeats the one above as the same string: its cell (the same JSON value) is reused.
            (cells, previous) = (previous, cells);
            cells.Clear();
            for (var i = 0; i < parser.Fields.Count; i++)
            {
                var raw = parser.Fields[i];
                cells.Add(i < previous.Count && ReferenceEquals(raw, previousRaw[i]) ? previous[i]
                    : TabularSubmission.FromText(table.FieldAt(i) ?? string.Empty, raw));
            }

            previousRaw.Clear();
            previousRaw.AddRange(parser.Fields);
            table.Row(cells, parser.StartLine);
        }

        if (text.Problem is { } problem)
        {
            var location = layout.At(problem.Line, null, null, null);
            sink.Issue(problem.Definition, location, null, problem.Arguments);
            sink.Stop();
            return;
        }

        if (parser.Malformed is { } malformed)
        {
            sink.Issue(ErrorCatalogue.MalformedCsv, layout.At(malformed.Line, null, null, null), null,
                Args.Of("line", malformed.Line), Args.Of("detail", malformed.Detail), Args.Of("hint", ErrorCatalogue.MalformedCsvHint(null)));
            sink.Stop();
            return;
        }

        if (!header)
        {
            sink.Issue(ErrorCatalogue.EmptyFile, layout.At(1, null, null, null));
            sink.Stop();
            return;
        }

        table.Finish();
    }
}
