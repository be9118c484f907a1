using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Pipeline.Core.Validation;

namespace Pipeline.Core.Submissions.Reading;

/// <summary>
/// Decodes a stream as strict UTF-8, chunk by chunk: drops a leading BOM, recognises files that are not text at all
/// (zip/xlsx, old .xls, PDF, UTF-16), and at the first invalid byte (a Windows-1252 '£' or 'é') or NUL records where it
/// is and ends, so nothing downstream ever sees mis-decoded text. A character split across reads is carried over.
/// </summary>
internal sealed class Utf8TextSource(Stream stream)
{
    // Small enough that neither buffer lands on the large object heap (one per file there meant a gen-2 collection every
    // few files of a national month); results do not depend on it, as lines and offsets carry across chunks.
    private const int ChunkBytes = 16 * 1024;
    private readonly byte[] _bytes = new byte[ChunkBytes];
    private readonly char[] _chars = new char[ChunkBytes];
    private int _held;
    private bool _started;
    private bool _ended;
    private long _offset;
    private long _line = 1;

    /// <summary>The problem that ended the text early, if any.</summary>
    public (ErrorDefinition Definition, long Line, IReadOnlyList<KeyValuePair<string, string>> Arguments)? Problem { get; private set; }

    /// <summary>The next decoded chunk; empty at the end of the text (or at the first problem).</summary>
    public async ValueTask<ReadOnlyMemory<char>> NextAsync(CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return ReadOnlyMemory<char>.Empty;
        }

        var final = false;
        do
        {
            var read = await stream.ReadAsync(_bytes.AsMemory(_held), cancellationToken).ConfigureAwait(false);
            final = read == 0;
            _held += read;
        }
        while (!_started && !final && _held < 4);

        var start = 0;
        if (!_started)
        {
            _started = true;
            if (Signature(_bytes.AsSpan(0, _held)) is { } what)
            {
                return End(ErrorCatalogue.Unreadable, Args.Of("format", "CSV text"), Args.Of("detail", what));
            }

            if (_bytes.AsSpan(0, _held).StartsWith("\uFEFF"u8))
            {
                start = 3;
                _offset = 3;
            }
        }

        var data = _bytes.AsSpan(start, _held - start);
        var status = Utf8.ToUtf16(data, _chars, out var bytesRead, out var written, replaceInvalidSequences: false, isFinalBlock: final);
        var text = _chars.AsMemory(0, written);
        var nul = text.Span.IndexOf('\0');
        if (nul >= 0)
        {
            _line += text.Span[..nul].Count('\n');
            var nulOffset = _offset + Encoding.UTF8.GetByteCount(text.Span[..nul]);
            return End(ErrorCatalogue.Unreadable, Args.Of("format", "CSV text"),
                Args.Of("detail", _offset <= 3 && Utf16WithoutMark(data) is { } order
                    ? $"it looks like UTF-16 ({order}) text without a byte-order mark: every other byte is 0. Save it from Excel as 'CSV UTF-8' (or in a text editor with the encoding UTF-8)"
                    : $"byte {nulOffset:N0} (line {_line:N0}) is a NUL byte, so this is binary data, not text"));
        }

        _line += text.Span.Count('\n');
        _offset += bytesRead;
        if (status == OperationStatus.InvalidData)
        {
            Problem = (ErrorCatalogue.NotUtf8, _line, Describe(_offset, _line, data[bytesRead]));
            _ended = true;
            return text;
        }

        // NeedMoreData: keep the start of a split character for the next read.
        data[bytesRead..].CopyTo(_bytes);
        _held = data.Length - bytesRead;
        if (final && written == 0)
        {
            _ended = true;
        }

        return text;
    }

    private ReadOnlyMemory<char> End(ErrorDefinition definition, params IReadOnlyList<KeyValuePair<string, string>> arguments)
    {
        Problem = (definition, _line, arguments);
        _ended = true;
        return ReadOnlyMemory<char>.Empty;
    }

    /// <summary>"little-endian" or "big-endian" when the start is ASCII text stored as 16-bit units (zero high bytes), else null.</summary>
    private static string? Utf16WithoutMark(ReadOnlySpan<byte> data)
    {
        var pairs = Math.Min(data.Length / 2, 64);
        if (pairs < 2)
        {
            return null;
        }

        int zeroOdd = 0, zeroEven = 0;
        for (var i = 0; i < pairs; i++)
        {
            zeroEven += data[2 * i] == 0 && data[(2 * i) + 1] != 0 ? 1 : 0;
            zeroOdd += data[(2 * i) + 1] == 0 && data[2 * i] != 0 ? 1 : 0;
        }

        return zeroOdd * 10 >= pairs * 9 ? "little-endian" : zeroEven * 10 >= pairs * 9 ? "big-endian" : null;
    }

    private static string? Signature(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith("PK\u0003\u0004"u8))
        {
            return "it is a zip file (probably an Excel workbook renamed to .csv); save it from Excel as 'CSV UTF-8', or submit the workbook with its .xlsx name";
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0]))
        {
            return "it is an old Excel (.xls) or other Office file; save it from Excel as 'CSV UTF-8'";
        }

        if (data.StartsWith("%PDF"u8))
        {
            return "it is a PDF document";
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || data.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return "it is UTF-16 text ('Unicode Text'); save it as 'CSV UTF-8' instead";
        }

        return null;
    }

    /// <summary>Message arguments for an invalid byte, with what it probably was in Windows-1252 (the usual culprit).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Describe(long offset, long line, byte value)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var windows = Encoding.GetEncoding(1252).GetString([value]);
        var guess = value >= 0x80 && windows.Length == 1 && !char.IsControl(windows[0]) ? $" (in Windows-1252 it is '{windows}')" : string.Empty;
        return [Args.Of("offset", offset), Args.Of("line", line), Args.Of("byte", value.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)), Args.Of("guess", guess)];
    }
}
