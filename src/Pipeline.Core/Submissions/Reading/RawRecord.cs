using Newtonsoft.Json.Linq;
using Pipeline.Core.Validation;

namespace Pipeline.Core.Submissions.Reading;

/// <summary>Where each field of one record sits in the submitter's file.</summary>
internal interface IRecordLocator
{
    /// <summary>The record as a whole (its JSON pointer, CSV line or XLSX row).</summary>
    IssueLocation Record { get; }

    IssueLocation Field(string field);
}

/// <summary>
/// One record read from a file, before validation: the envelope, or one measure row. <see cref="Values"/> is the small
/// JSON object the schema judges (CSV/XLSX cells mapped to JSON values); <see cref="Texts"/> is each value as the
/// submitter wrote it, for messages.
/// </summary>
/// <remarks>
/// The values are kept as a short list of (field, token) in the order they were set, and the <see cref="JObject"/> is built
/// only when something asks for it (the general schema validator, for a row the fast check cannot vouch for): a national
/// month is 64,800 rows, and a JObject per row was most of reading's allocations.
/// </remarks>
internal sealed class RawRecord(int? index, IRecordLocator locator)
{
    private readonly FieldMap<JToken> _values = new();
    private readonly FieldMap<string> _texts = new();
    private JObject? _object;

    /// <summary>The measure's position in the document (0-based), or null for the envelope.</summary>
    public int? Index { get; } = index;

    public IRecordLocator Locator { get; } = locator;

    /// <summary>The values as a JSON object (built on first use, then kept in step with <see cref="Set"/>).</summary>
    public JObject Values
    {
        get
        {
            if (_object is null)
            {
                _object = [];
                foreach (var (name, value) in _values.Entries)
                {
                    _object[name] = value;
                }
            }

            return _object;
        }
    }

    /// <summary>The fields set and their values, in the order first set (as <see cref="Values"/> lists its properties).</summary>
    public IReadOnlyList<KeyValuePair<string, JToken>> Entries => _values.Entries;

    /// <summary>Each field's value as the submitter wrote it, in the order first set.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Texts => _texts.Entries;

    /// <summary>Fields whose problem the reader has already reported, so the schema does not report it again.</summary>
    public HashSet<string> Reported { get; } = new(StringComparer.Ordinal);

    /// <summary>Set when a JSON measure item is not an object at all (what it is instead, for the message).</summary>
    public string? NotAnObject { get; init; }

    /// <summary>Values outside the contract (unknown columns, extra cells): never loaded, but still checked for personal data.</summary>
    public List<(string Name, string Text, IssueLocation Location)> Unlisted { get; } = [];

    public void Set(string field, JToken value, string text)
    {
        _values.Set(field, value);
        if (_object is not null)
        {
            _object[field] = value;
        }

        _texts.Set(field, text);
    }

    /// <summary>The submitter's text for a field that has no value (a number out of range): shown in messages, never judged.</summary>
    public void SetText(string field, string text) => _texts.Set(field, text);

    /// <summary>The value set for a field, or null (what <c>Values[field]</c> gives, without building the object).</summary>
    public JToken? Value(string field) => _values.Get(field);

    public string? Text(string field) => _texts.Get(field);

    /// <summary>
    /// A record's few fields by name, in the order first set, a field set again keeping its place (as both JObject and an
    /// unmodified Dictionary behave); a short list searched in order, indexed only when a hostile object has many keys.
    /// </summary>
    private sealed class FieldMap<T>
        where T : class
    {
        private readonly List<KeyValuePair<string, T>> _entries = new(5);
        private Dictionary<string, int>? _positions;

        public IReadOnlyList<KeyValuePair<string, T>> Entries => _entries;

        public T? Get(string field) => IndexOf(field) is var at and >= 0 ? _entries[at].Value : null;

        public void Set(string field, T value)
        {
            var at = IndexOf(field);
            if (at >= 0)
            {
                _entries[at] = KeyValuePair.Create(field, value);
                return;
            }

            _entries.Add(KeyValuePair.Create(field, value));
            _positions?.Add(field, _entries.Count - 1);
        }

        private int IndexOf(string field)
        {
            if (_entries.Count > 8)
            {
                if (_positions is null)
                {
                    _positions = new Dictionary<string, int>(StringComparer.Ordinal);
                    for (var i = 0; i < _entries.Count; i++)
                    {
                        _positions[_entries[i].Key] = i;
                    }
                }

                return _positions.TryGetValue(field, out var known) ? known : -1;
            }

            for (var i = 0; i < _entries.Count; i++)
            {
                if (string.Equals(_entries[i].Key, field, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}

/// <summary>What a reader reports to while it streams a file.</summary>
internal interface ISubmissionSink
{
    void Issue(ErrorDefinition definition, IssueLocation location, string? value = null, params IReadOnlyList<KeyValuePair<string, string>> arguments);

    void Envelope(RawRecord envelope);

    /// <summary>
    /// True when an envelope field the file leaves out can be taken from elsewhere (the drop folder names the trust and the
    /// month), so a missing column for it is not an error.
    /// </summary>
    bool Supplies(string field);

    void Measure(RawRecord measure);

    /// <summary>Reading stopped early (encoding, syntax, size): the document is incomplete, so whole-file rules are not judged.</summary>
    void Stop();
}

/// <summary>Reads one format into the sink, one record at a time.</summary>
internal interface ISubmissionReader
{
    Task ReadAsync(Stream content, ISubmissionSink sink, CancellationToken cancellationToken);
}
