using System.Buffers;
using System.Text;

namespace Pipeline.Core.Submissions.Reading;

/// <summary>
/// RFC 4180 records from decoded text, streaming: comma separated, fields optionally in double quotes with quotes
/// doubled inside, CRLF or LF (or CR) line ends, line breaks allowed inside quotes. Tracks the physical line each
/// record starts on, which is the row number Excel shows when the file is opened there.
/// </summary>
internal sealed class CsvRecordParser(Utf8TextSource source)
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

    private static readonly SearchValues<char> Stops = SearchValues.Create(",\r\n\"");
    private static readonly SearchValues<char> QuotedStops = SearchValues.Create("\r\n\"");
    private List<string> _previous = [];

    /// <remarks>
    /// A value equal to the one in the same place on the record before is handed over as that same string: the envelope
    /// columns repeat on every row and codes on many, so most rows allocate only their counts.
    /// </remarks>
    public List<string> Fields { get; private set; } = [];

    /// <summary>The line the current record starts on (1-based).</summary>
    public long StartLine { get; private set; }

    /// <summary>Set when the text cannot be split into cells; reading stops.</summary>
    public (long Line, string Detail)? Malformed { get; private set; }

    /// <summary>Reads the next record into <see cref="Fields"/>; false at the end of the text or on malformed text.</summary>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        (Fields, _previous) = (_previous, Fields);
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
                        Malformed = (quoteLine, $"a quoted value opened on line {quoteLine:N0} is never closed (a missing closing \")");
                        return false;
                    }

                    if (!any)
                    {
                        return false;
                    }

                    Fields.Add(Take());
                    return true;
                }
            }

            if (!afterQuote && _field.Length < MaxFieldChars)
            {
                // A run of ordinary characters is copied at once; the characters that decide anything are taken one by one
                // below, as is the one after a value reaches the length limit (so the limit is enforced exactly as before).
                var rest = _chunk.Span[_position..];
                var run = rest.IndexOfAny(quoted ? QuotedStops : Stops);
                run = Math.Min(run < 0 ? rest.Length : run, MaxFieldChars - _field.Length);
                if (run > 0)
                {
                    _field.Append(rest[..run]);
                    _position += run;
                    any = true;
                    continue;
                }
            }

            var c = _chunk.Span[_position++];
            any = true;
            if (_field.Length >= MaxFieldChars)
            {
                Malformed = (StartLine, $"a value on line {StartLine:N0} is longer than {MaxFieldChars:N0} characters (no value in a submission is that long); check for a missing line end or closing quote");
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
                    Fields.Add(Take());
                    _field.Clear();
                    afterQuote = false;
                    break;
                case '\r':
                    if (await PeekAsync(cancellationToken).ConfigureAwait(false) == '\n')
                    {
                        _position++;
                    }

                    _line++;
                    Fields.Add(Take());
                    return true;
                case '\n':
                    _line++;
                    Fields.Add(Take());
                    return true;
                case '"' when _field.Length == 0 && !afterQuote:
                    quoted = true;
                    quoteLine = _line;
                    break;
                default:
                    if (afterQuote)
                    {
                        Malformed = (_line, $"'{c}' follows the closing quote of a value; a value in quotes must be followed by a comma or the end of the line");
                        return false;
                    }

                    _field.Append(c);
                    break;
            }
        }
    }

    private string Take()
    {
        var at = Fields.Count;
        return at < _previous.Count && _field.Equals(_previous[at].AsSpan()) ? _previous[at] : _field.ToString();
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
