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
internal sealed class RawRecord(int? index, IRecordLocator locator)
{
    /// <summary>The measure's position in the document (0-based), or null for the envelope.</summary>
    public int? Index { get; } = index;

    public IRecordLocator Locator { get; } = locator;

    public JObject Values { get; } = [];

    public Dictionary<string, string> Texts { get; } = new(StringComparer.Ordinal);

    /// <summary>Fields whose problem the reader has already reported, so the schema does not report it again.</summary>
    public HashSet<string> Reported { get; } = new(StringComparer.Ordinal);

    /// <summary>Set when a JSON measure item is not an object at all (what it is instead, for the message).</summary>
    public string? NotAnObject { get; init; }

    /// <summary>Values outside the contract (unknown columns, extra cells): never loaded, but still checked for personal data.</summary>
    public List<(string Name, string Text, IssueLocation Location)> Unlisted { get; } = [];

    public void Set(string field, JToken value, string text)
    {
        Values[field] = value;
        Texts[field] = text;
    }

    public string? Text(string field) => Texts.GetValueOrDefault(field);
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
