using System.Buffers;
using System.Text.Json;
using Pipeline.Core.Validation;

namespace Pipeline.Core.Submissions.Reading;

/// <summary>
/// Streams a JSON submission with <see cref="Utf8JsonReader"/> over a small rolling buffer: the document is never
/// materialised, each measure object becomes one small record as soon as it closes. Syntax problems (truncation,
/// NaN/Infinity, trailing text, invalid UTF-8), duplicate keys, over-deep nesting and numbers beyond 64 bits are
/// reported as errors with a position, never thrown.
/// </summary>
internal sealed class JsonSubmissionReader : ISubmissionReader
{
    private const int InitialBuffer = 64 * 1024;

    /// <summary>A single JSON token larger than this (a giant string) is refused rather than buffered.</summary>
    private const int MaxTokenBytes = 1024 * 1024;

    public async Task ReadAsync(Stream content, ISubmissionSink sink, CancellationToken cancellationToken)
    {
        var parser = new JsonSubmissionParser(sink);
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        try
        {
            var state = new JsonReaderState(new JsonReaderOptions { MaxDepth = 1024, CommentHandling = JsonCommentHandling.Disallow });
            var filled = 0;
            var final = false;
            var first = true;
            while (!parser.Stopped)
            {
                if (filled == buffer.Length)
                {
                    if (buffer.Length >= MaxTokenBytes)
                    {
                        parser.TokenTooLong();
                        break;
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await content.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                final = read == 0;
                filled += read;
                if (first && filled < 3 && !final)
                {
                    // Too few bytes yet to tell whether the file starts with a BOM.
                    continue;
                }

                var start = 0;
                if (first && filled >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
                {
                    start = 3;
                }

                if (first && (filled >= 3 || final))
                {
                    first = false;
                }

                var consumed = start + parser.Feed(buffer.AsSpan(start, filled - start), final, ref state);
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
                if (final)
                {
                    parser.End();
                    break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>The token-by-token state machine behind <see cref="JsonSubmissionReader"/> (root object → measures array → measure objects).</summary>
internal sealed class JsonSubmissionParser(ISubmissionSink sink)
{
    /// <summary>A submission needs depth 3 (root, measures, measure); anything far deeper is refused before it costs memory.</summary>
    public const int MaxNesting = 16;

    private static readonly (byte[] Utf8, string Name)[] KnownNames =
        [.. new[] { SubmissionFields.Measures }.Concat(SubmissionFields.Envelope).Concat(SubmissionFields.Measure)
            .Select(name => (System.Text.Encoding.UTF8.GetBytes(name), name))];

    private readonly Dictionary<string, (byte[] Utf8, string Text)> _lastCodes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _rootKeys = new(StringComparer.Ordinal);
    private readonly HashSet<string> _measureKeys = new(StringComparer.Ordinal);
    private readonly RawRecord _envelope = new(null, new JsonLocator(null));
    private long _offset;
    private long _line = 1;
    private bool _rootStarted;
    private bool _rootEnded;
    private bool _inMeasures;
    private int _skipDepth = -1;
    private string _rootKey = string.Empty;
    private string _measureKey = string.Empty;
    private RawRecord? _row;
    private int _index = -1;

    public bool Stopped { get; private set; }

    /// <summary>Reads every complete token in <paramref name="data"/>; returns the bytes consumed (the rest is an incomplete token).</summary>
    public int Feed(ReadOnlySpan<byte> data, bool isFinal, ref JsonReaderState state)
    {
        var startState = state;
        var reader = new Utf8JsonReader(data, isFinal, state);
        try
        {
            while (!Stopped && reader.Read())
            {
                Handle(ref reader);
            }
        }
        catch (JsonException ex)
        {
            Fail(data, isFinal, startState, (int)reader.BytesConsumed, ex);
        }
        catch (InvalidOperationException ex) when (ex.InnerException is System.Text.DecoderFallbackException)
        {
            // GetString on a string with invalid UTF-8 bytes.
            var at = (int)reader.TokenStartIndex;
            NotUtf8(data, at);
        }

        state = reader.CurrentState;
        var consumed = (int)reader.BytesConsumed;
        _line += data[..consumed].Count((byte)'\n');
        _offset += consumed;
        return consumed;
    }

    public void End()
    {
        if (Stopped)
        {
            return;
        }

        if (!_rootStarted)
        {
            sink.Issue(ErrorCatalogue.EmptyFile, new IssueLocation(JsonPointer: string.Empty));
            sink.Stop();
            Stopped = true;
        }
        else if (!_rootEnded)
        {
            Truncated();
        }
    }

    public void TokenTooLong()
    {
        Stopped = true;
        sink.Issue(ErrorCatalogue.Unreadable, new IssueLocation(JsonPointer: CurrentPointer()), null,
            Args.Of("format", "a JSON submission"), Args.Of("detail", $"a single value near byte {_offset:N0} is longer than 1 MB"));
        sink.Stop();
    }

    private void Handle(ref Utf8JsonReader reader)
    {
        var depth = reader.CurrentDepth;
        var token = reader.TokenType;
        if (token is JsonTokenType.StartObject or JsonTokenType.StartArray && depth >= MaxNesting)
        {
            Stopped = true;
            sink.Issue(ErrorCatalogue.TooDeeplyNested, new IssueLocation(JsonPointer: CurrentPointer()), null,
                Args.Of("depth", MaxNesting), Args.Of("pointer", CurrentPointer() is { Length: > 0 } p ? p : "/"));
            sink.Stop();
            return;
        }

        if (_skipDepth >= 0)
        {
            if (token is JsonTokenType.EndObject or JsonTokenType.EndArray && depth == _skipDepth)
            {
                _skipDepth = -1;
                if (depth == 2)
                {
                    FinishRow();
                }
            }

            return;
        }

        if (!_rootStarted)
        {
            StartRoot(ref reader);
            return;
        }

        switch (depth)
        {
            case 0 when token == JsonTokenType.EndObject:
                _rootEnded = true;
                sink.Envelope(_envelope);
                break;
            case 1:
                HandleRootMember(ref reader);
                break;
            case 2 when _inMeasures:
                HandleMeasureItem(ref reader);
                break;
            case 3 when _row is not null:
                HandleMeasureMember(ref reader);
                break;
            default:
                break;
        }
    }

    private void StartRoot(ref Utf8JsonReader reader)
    {
        _rootStarted = true;
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            return;
        }

        Stopped = true;
        sink.Issue(ErrorCatalogue.RootNotObject, new IssueLocation(JsonPointer: string.Empty), null, Args.Of("kind", Describe(reader.TokenType)));
        sink.Stop();
    }

    private void HandleRootMember(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.PropertyName:
                _rootKey = PropertyName(ref reader);
                if (!_rootKeys.Add(_rootKey))
                {
                    _envelope.Reported.Add(_rootKey);
                    sink.Issue(ErrorCatalogue.DuplicateKey, new IssueLocation(JsonPointer: Pointer(_rootKey)), null, Args.Of("key", _rootKey));
                }

                break;
            case JsonTokenType.StartArray when _rootKey == SubmissionFields.Measures:
                _inMeasures = true;
                _envelope.Set(_rootKey, new Newtonsoft.Json.Linq.JArray(), "[...]");
                break;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                _envelope.Set(_rootKey, Placeholder(reader.TokenType), Describe(reader.TokenType));
                _skipDepth = 1;
                break;
            case JsonTokenType.EndArray:
                _inMeasures = false;
                break;
            default:
                SetScalar(ref reader, _envelope, _rootKey);
                break;
        }
    }

    private void HandleMeasureItem(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                _index++;
                _measureKeys.Clear();
                _row = new RawRecord(_index, new JsonLocator(_index));
                break;
            case JsonTokenType.EndObject:
                FinishRow();
                break;
            default:
                // An item that is not an object: the schema's "object expected" for the whole row.
                _index++;
                _row = new RawRecord(_index, new JsonLocator(_index)) { NotAnObject = Describe(reader.TokenType) };
                if (reader.TokenType is JsonTokenType.StartArray)
                {
                    _skipDepth = 2;
                }
                else
                {
                    FinishRow();
                }

                break;
        }
    }

    private void HandleMeasureMember(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.PropertyName:
                _measureKey = PropertyName(ref reader);
                if (!_measureKeys.Add(_measureKey))
                {
                    // Which value counts is ambiguous: the row is not judged further.
                    _row!.Reported.Add(_measureKey);
                    sink.Issue(ErrorCatalogue.DuplicateKey, _row!.Locator.Field(_measureKey), null, Args.Of("key", _measureKey));
                }

                break;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                _row!.Set(_measureKey, Placeholder(reader.TokenType), Describe(reader.TokenType));
                _skipDepth = 3;
                break;
            default:
                SetScalar(ref reader, _row!, _measureKey);
                break;
        }
    }

    private void FinishRow()
    {
        if (_row is not null)
        {
            sink.Measure(_row);
            _row = null;
        }
    }

    private void SetScalar(ref Utf8JsonReader reader, RawRecord record, string field)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                var text = StringValue(ref reader, field);
                record.Set(field, new Newtonsoft.Json.Linq.JValue(text), text);
                break;
            case JsonTokenType.Number:
                SetNumber(ref reader, record, field);
                break;
            case JsonTokenType.True or JsonTokenType.False:
                record.Set(field, new Newtonsoft.Json.Linq.JValue(reader.GetBoolean()), reader.GetBoolean() ? "true" : "false");
                break;
            case JsonTokenType.Null:
                record.Set(field, Newtonsoft.Json.Linq.JValue.CreateNull(), "null");
                break;
            default:
                break;
        }
    }

    /// <summary>A key that is one of the contract's names comes back as that name's string, not a new copy per row.</summary>
    private static string PropertyName(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            foreach (var (utf8, name) in KnownNames)
            {
                if (reader.ValueSpan.SequenceEqual(utf8))
                {
                    return name;
                }
            }
        }

        return reader.GetString()!;
    }

    /// <summary>
    /// A code that repeats the previous row's (the indicator and breakdown do, row after row) comes back as that same string.
    /// Only unescaped text is compared, byte for byte, so anything unusual still goes through <c>GetString</c>.
    /// </summary>
    private string StringValue(ref Utf8JsonReader reader, string field)
    {
        var repeats = field is SubmissionFields.Indicator or SubmissionFields.Breakdown && !reader.ValueIsEscaped;
        if (repeats && _lastCodes.TryGetValue(field, out var last) && reader.ValueSpan.SequenceEqual(last.Utf8))
        {
            return last.Text;
        }

        var text = reader.GetString()!;
        if (repeats && reader.ValueSpan.Length <= 64)
        {
            _lastCodes[field] = (reader.ValueSpan.ToArray(), text);
        }

        return text;
    }

    private void SetNumber(ref Utf8JsonReader reader, RawRecord record, string field)
    {
        var text = System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
        if (reader.TryGetInt64(out var whole))
        {
            record.Set(field, new Newtonsoft.Json.Linq.JValue(whole), text);
            return;
        }

        if (reader.TryGetDouble(out var real) && double.IsFinite(real) && Math.Abs(real) < 1e15)
        {
            // 12.0 is a whole number (JSON Schema draft-07 counts it as an integer); 12.5 stays a number and fails the schema.
            Newtonsoft.Json.Linq.JValue value = real == Math.Floor(real) ? new((long)real) : new(real);
            record.Set(field, value, text);
            return;
        }

        record.SetText(field, text);
        record.Reported.Add(field);
        sink.Issue(ErrorCatalogue.NumberOutOfRange, record.Locator.Field(field), text, Args.Of("field", field));
    }

    private void Fail(ReadOnlySpan<byte> data, bool isFinal, JsonReaderState startState, int consumed, JsonException ex)
    {
        if (!_rootStarted && data[consumed..].Trim(" \t\r\n"u8).IsEmpty)
        {
            Stopped = true;
            sink.Issue(ErrorCatalogue.EmptyFile, new IssueLocation(JsonPointer: string.Empty));
            sink.Stop();
            return;
        }

        if (isFinal && IsValidSoFar(data, startState))
        {
            Truncated();
            return;
        }

        var rest = data[consumed..].TrimStart(" \t\r\n,:"u8);
        var detail = rest.StartsWith("NaN"u8) || rest.StartsWith("Infinity"u8) || rest.StartsWith("-Infinity"u8)
            ? "NaN and Infinity are not numbers in JSON; give each count as a whole number"
            : FirstSentence(ex.Message);
        Stopped = true;
        sink.Issue(ErrorCatalogue.JsonSyntax, new IssueLocation(JsonPointer: CurrentPointer(), Line: (ex.LineNumber ?? 0) + 1), null,
            Args.Of("line", (ex.LineNumber ?? 0) + 1), Args.Of("position", (ex.BytePositionInLine ?? 0) + 1), Args.Of("detail", detail));
        sink.Stop();
    }

    /// <summary>True when the final block would parse as a prefix of a document: the failure is that it ends, not a wrong token.</summary>
    private static bool IsValidSoFar(ReadOnlySpan<byte> data, JsonReaderState startState)
    {
        var probe = new Utf8JsonReader(data, isFinalBlock: false, startState);
        try
        {
            while (probe.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private void Truncated()
    {
        Stopped = true;
        sink.Issue(ErrorCatalogue.JsonTruncated, new IssueLocation(JsonPointer: CurrentPointer()), null, Args.Of("bytes", _offset));
        sink.Stop();
    }

    private void NotUtf8(ReadOnlySpan<byte> data, int tokenStart)
    {
        var bad = tokenStart;
        while (bad < data.Length && System.Text.Unicode.Utf8.IsValid(data[tokenStart..(bad + 1)]))
        {
            bad++;
        }

        bad = Math.Min(bad, data.Length - 1);
        var line = _line + data[..bad].Count((byte)'\n');
        Stopped = true;
        sink.Issue(ErrorCatalogue.NotUtf8, new IssueLocation(JsonPointer: CurrentPointer(), Line: line), null, Utf8TextSource.Describe(_offset + bad, line, data[bad]));
        sink.Stop();
    }

    private string CurrentPointer() =>
        _row is { Index: { } i } ? $"/{SubmissionFields.Measures}/{i}" + (_measureKey.Length > 0 ? "/" + Escape(_measureKey) : string.Empty)
        : _rootKey.Length > 0 ? Pointer(_rootKey) : string.Empty;

    private static string Pointer(string key) => "/" + Escape(key);

    public static string Escape(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static Newtonsoft.Json.Linq.JToken Placeholder(JsonTokenType token) =>
        token == JsonTokenType.StartObject ? new Newtonsoft.Json.Linq.JObject() : new Newtonsoft.Json.Linq.JArray();

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "a list",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "true/false",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }
}

/// <summary>Pointers into the JSON document for one record.</summary>
/// <remarks>The pointer text is built only when a location is asked for: most rows never need one.</remarks>
internal sealed class JsonLocator(int? index) : IRecordLocator
{
    public IssueLocation Record => new(JsonPointer: Pointer);

    private string Pointer => index is { } i ? $"/{SubmissionFields.Measures}/{i}" : string.Empty;

    public IssueLocation Field(string field) => new(JsonPointer: Pointer + "/" + JsonSubmissionParser.Escape(field));
}
