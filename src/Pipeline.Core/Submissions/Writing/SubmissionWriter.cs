using System.Globalization;
using System.Text;
using System.Text.Json;
using Pipeline.Core.Model;
using Pipeline.Core.Submissions.Reading;

namespace Pipeline.Core.Submissions.Writing;

/// <summary>
/// Writes a submission in the contract's JSON, CSV or XLSX form, streaming (flushes as it goes, so a 100,000-row file is never
/// built in memory). What it writes reads back through the validator unchanged.
/// </summary>
public static class SubmissionWriter
{
    private const int FlushEvery = 1000;

    public static async Task WriteJsonAsync(Submission submission, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var json = new Utf8JsonWriter(destination, new JsonWriterOptions { Indented = true });
        await using var disposeJson = json.ConfigureAwait(false);
        json.WriteStartObject();
        json.WriteString(SubmissionFields.SchemaVersion, submission.SchemaVersion);
        json.WriteString(SubmissionFields.OrganisationCode, submission.OrganisationCode);
        json.WriteString(SubmissionFields.ReportingPeriod, submission.ReportingPeriod.ToString());
        if (submission.SubmittedBy is not null)
        {
            json.WriteString(SubmissionFields.SubmittedBy, submission.SubmittedBy);
        }

        json.WriteStartArray(SubmissionFields.Measures);
        for (var i = 0; i < submission.Measures.Count; i++)
        {
            var m = submission.Measures[i];
            json.WriteStartObject();
            json.WriteString(SubmissionFields.Indicator, m.IndicatorCode);
            json.WriteString(SubmissionFields.Breakdown, m.Breakdown.ToWire());
            json.WriteString(SubmissionFields.Group, m.GroupCode);
            json.WriteNumber(SubmissionFields.Numerator, m.Numerator);
            json.WriteNumber(SubmissionFields.Denominator, m.Denominator);
            json.WriteEndObject();
            if (i % FlushEvery == FlushEvery - 1)
            {
                await json.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>CSV UTF-8 without BOM, LF line ends, header row first; envelope columns repeated on every row as the contract asks.</summary>
    public static async Task WriteCsvAsync(Submission submission, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var writer = new StreamWriter(destination, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024, leaveOpen: true) { NewLine = "\n" };
        await using (writer.ConfigureAwait(false))
        {
            string[] header = [SubmissionFields.OrganisationCode, SubmissionFields.ReportingPeriod, .. SubmissionFields.Measure, SubmissionFields.SchemaVersion, SubmissionFields.SubmittedBy];
            await writer.WriteLineAsync(string.Join(',', header)).ConfigureAwait(false);
            var prefix = Quote(submission.OrganisationCode) + "," + Quote(submission.ReportingPeriod.ToString()) + ",";
            var suffix = "," + Quote(submission.SchemaVersion) + "," + Quote(submission.SubmittedBy ?? string.Empty);
            var line = new StringBuilder();
            for (var i = 0; i < submission.Measures.Count; i++)
            {
                var m = submission.Measures[i];
                line.Clear().Append(prefix)
                    .Append(Quote(m.IndicatorCode)).Append(',')
                    .Append(m.Breakdown.ToWire()).Append(',')
                    .Append(Quote(m.GroupCode)).Append(',')
                    .Append(m.Numerator.ToString(CultureInfo.InvariantCulture)).Append(',')
                    .Append(m.Denominator.ToString(CultureInfo.InvariantCulture))
                    .Append(suffix);
                await writer.WriteLineAsync(line, cancellationToken).ConfigureAwait(false);
            }

            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>An Excel workbook with one worksheet named measures, the same columns as the CSV form.</summary>
    public static Task WriteXlsxAsync(Submission submission, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        return XlsxSubmissionWriter.WriteAsync(submission, destination, cancellationToken);
    }

    /// <summary>RFC 4180 quoting: only values with a comma, quote or line break are quoted, with quotes doubled.</summary>
    public static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
