using System.Text;
using CsCheck;
using Pipeline.Core.Submissions.Reading;

namespace Pipeline.Core.Tests.Submissions;

/// <summary>
/// The CSV parser copies runs of ordinary characters at once instead of one by one (#18). The one-by-one parser is kept
/// below as the reference: on random text (quotes, doubled quotes, commas, every line end, non-ASCII, values at and over the
/// length limit, runs across the reader's chunks) both must give the same records, start lines and malformed verdict.
/// </summary>
public class CsvRecordParserEquivalenceProperties
{
    private static readonly string[] Pieces =
    [
        "a", "bc", "R0A", ",", ",", "\"", "\"\"", "\r", "\n", "\r\n", " ", "\u00e9", "\u20ac", "x,y", "\"q,\"\"r\"", "\t", ";",
    ];

    private static readonly Gen<string> Text =
        Gen.Select(Gen.Int[0, Pieces.Length - 1].Array[0, 60], Gen.Int[0, 9], Gen.Int[-2, 2], Gen.Int[0, 1], Gen.Int[0, 2])
            .Select(x =>
            {
                var (pieces, longKind, offset, quoted, where) = x;
                var text = new StringBuilder();
                foreach (var p in pieces)
                {
                    text.Append(Pieces[p]);
                }

                // Now and then a value near the length limit, or long enough to cross the reader's 16 KB chunks.
                var length = longKind switch { 0 => CsvRecordParser.MaxFieldChars + offset, 1 => 16 * 1024 + offset, _ => 0 };
                if (length > 0)
                {
                    var quote = quoted == 1 ? "\"" : string.Empty;
                    text.Insert(where * text.Length / 2, quote + new string('z', length) + quote);
                }

                return text.ToString();
            });

    [Fact]
    public void Parser_gives_the_records_the_character_by_character_parser_gave()
    {
        Text.Sample(text => Records(text, fast: true) == Records(text, fast: false), iter: 3_000);
    }

    private static string Records(string text, bool fast)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var output = new StringBuilder();
        if (fast)
        {
            var parser = new CsvRecordParser(new Utf8TextSource(new MemoryStream(bytes)));
            while (parser.ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult())
            {
                output.Append(parser.StartLine).Append(':').AppendJoin('\u0001', parser.Fields).Append('\n');
            }

            return output.Append(parser.Malformed).ToString();
        }

        var reference = new ReferenceCsvRecordParser(new Utf8TextSource(new MemoryStream(bytes)));
        while (reference.ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult())
        {
            output.Append(reference.StartLine).Append(':').AppendJoin('\u0001', reference.Fields).Append('\n');
        }

        return output.Append(reference.Malformed).ToString();
    }
}

/// <summary>The parser as it was before (#18), unchanged but for its name and line breaks: the reference.</summary>
internal sealed class ReferenceCsvRecordParser(Utf8TextSource source)
{
    /// <summary>
    /// No value in a submission is longer than an email address; a longer one is a broken file (a lost line end or quote, or a
    /// hostile 100 MB line), stopped here before it is held in memory and echoed into every message and receipt.
    /// </summary>
    public const int MaxFieldChars = 32 * 1024;

    private readonly StringBuilder _field = new();
    private ReadOnlyMemory<char> _chunk = ReadOnlyMemory<char>.Empty;
    private int _position;
    private bool _atEnd;
    private long _line = 1;

    public List<string> Fields { get; } = [];

    /// <summary>The line the current record starts on (1-based).</summary>
    public long StartLine { get; private set; }

    /// <summary>Set when the text cannot be split into cells; reading stops.</summary>
    public (long Line, string Detail)? Malformed { get; private set; }

    /// <summary>Reads the next record into <see cref="Fields"/>; false at the end of the text or on malformed text.</summary>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        Fields.Clear();
        _field.Clear();
        StartLine = _line;
        var quoted = false;
        var afterQuote = false;
        var quoteLine = 0L;
        var any = false;
        while (true)
        {
            if (_position >= _chunk.Length)
            {
                if (_atEnd || !await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (quoted)
                    {
                        Malformed = (quoteLine,
                            $"a quoted value opened on line {quoteLine:N0} is never closed (a missing closing \")");
                        return false;
                    }

                    if (!any)
                    {
                        return false;
                    }

                    Fields.Add(_field.ToString());
                    return true;
                }
            }

            var c = _chunk.Span[_position++];
            any = true;
            if (_field.Length >= MaxFieldChars)
            {
                Malformed = (StartLine, $"a value on line {StartLine:N0} is longer than {MaxFieldChars:N0} characters "
                    + "(no value in a submission is that long); check for a missing line end or closing quote");
                return false;
            }

            if (quoted)
            {
                if (c == '"')
                {
                    if (await PeekAsync(cancellationToken).ConfigureAwait(false) == '"')
                    {
                        _position++;
                        _field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                        afterQuote = true;
                    }
                }
                else
                {
                    if (c == '\n' || (c == '\r' && await PeekAsync(cancellationToken).ConfigureAwait(false) != '\n'))
                    {
                        _line++;
                    }

                    _field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case ',':
                    Fields.Add(_field.ToString());
                    _field.Clear();
                    afterQuote = false;
                    break;
                case '\r':
                    if (await PeekAsync(cancellationToken).ConfigureAwait(false) == '\n')
                    {
                        _position++;
                    }

                    _line++;
                    Fields.Add(_field.ToString());
                    return true;
                case '\n':
                    _line++;
                    Fields.Add(_field.ToString());
                    return true;
                case '"' when _field.Length == 0 && !afterQuote:
                    quoted = true;
                    quoteLine = _line;
                    break;
                default:
                    if (afterQuote)
                    {
                        Malformed = (_line, $"'{c}' follows the closing quote of a value; "
                            + "a value in quotes must be followed by a comma or the end of the line");
                        return false;
                    }

                    _field.Append(c);
                    break;
            }
        }
    }

    private async ValueTask<char> PeekAsync(CancellationToken cancellationToken)
    {
        if (_position >= _chunk.Length && (_atEnd || !await FillAsync(cancellationToken).ConfigureAwait(false)))
        {
            return '\0';
        }

        return _chunk.Span[_position];
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        _chunk = await source.NextAsync(cancellationToken).ConfigureAwait(false);
        _position = 0;
        _atEnd = _chunk.IsEmpty;
        return !_atEnd;
    }
}
