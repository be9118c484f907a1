using Newtonsoft.Json.Linq;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Submissions.Reading;

namespace Pipeline.Core.Validation;

/// <summary>A measure row that passed every row-level check, with where it came from (for whole-file messages).</summary>
internal sealed record CheckedMeasure(Measure Measure, IRecordLocator Locator)
{
    public IssueLocation Location => Locator.Record;

    public string Key => $"{Measure.IndicatorCode}/{Measure.Breakdown.ToWire()}/{Measure.GroupCode}";
}

/// <summary>
/// Receives records from a reader as they stream and judges each at once: personal data, the schema, reference codes and
/// the row's own arithmetic. Rows that pass are kept in typed form; whole-file rules (totals, sums, duplicates, the
/// envelope against reference data and the drop folder) run at the end. Pure: time and reference data are given.
/// </summary>
internal sealed class SubmissionChecker(
    SubmissionSchema schema,
    ReferenceData reference,
    ValidationOptions options,
    TimeProvider time,
    SubmissionInput input,
    IssueCollector issues) : ISubmissionSink
{
    private readonly NJsonSchema.Validation.JsonSchemaValidator _validator = SubmissionSchema.NewValidator();
    private readonly List<CheckedMeasure> _rows = [];
    private readonly HashSet<string> _tainted = new(StringComparer.Ordinal);
    private bool _allTainted;
    private CodeSets? _indicatorCodes;
    private CodeSets? _ethnicCodes;
    private bool _stopped;
    private RawRecord? _envelope;

    /// <summary>Measure rows seen, including any beyond the limit (counted, not checked).</summary>
    public int RowCount { get; private set; }

    public string? EnvelopeText(string field) => _envelope?.Text(field);

    public void Issue(ErrorDefinition definition, IssueLocation location, string? value = null, params IReadOnlyList<KeyValuePair<string, string>> arguments) =>
        issues.Add(definition, location, value, null, arguments);

    public void Stop() => _stopped = true;

    public void Envelope(RawRecord envelope)
    {
        // The folder names the trust and the month (submissions/{org}/{yyyy-MM}/); a file that leaves them out is for those.
        foreach (var field in new[] { SubmissionFields.OrganisationCode, SubmissionFields.ReportingPeriod })
        {
            // A misspelt key for the field ("reporting_perod") is a mistake to point out, not an absence to fill.
            var misspelt = envelope.Values.Properties().Any(p => p.Name != field && HeaderOf(p.Name) == field);
            if (!envelope.Values.ContainsKey(field) && !misspelt && FromFolder(field) is { } value)
            {
                envelope.Set(field, new JValue(value), value);
                envelope.Reported.Remove(field);
                var (what, drop) = (field == SubmissionFields.ReportingPeriod ? "month" : "trust", input.DropPath!);
                issues.Add(ErrorCatalogue.TakenFromFolder, envelope.Locator.Record, value, null, Args.Of("field", field),
                    Args.Of("folder", $"submissions/{drop.OrganisationCode}/{drop.ReportingPeriod}/"), Args.Of("what", what));
            }
        }

        _envelope = envelope;
    }

    public bool Supplies(string field) => FromFolder(field) is not null;

    /// <summary>The contract's own field names, with what <see cref="Suggestions.Header"/> makes of each (worked out once).</summary>
    private static readonly Dictionary<string, string?> ContractHeaders =
        new[] { SubmissionFields.Measures }.Concat(SubmissionFields.Envelope).Concat(SubmissionFields.Measure)
            .ToDictionary(name => name, Suggestions.Header, StringComparer.Ordinal);

    /// <summary><see cref="Suggestions.Header"/>, without an edit-distance search per file for the names every file has.</summary>
    private static string? HeaderOf(string name) => ContractHeaders.TryGetValue(name, out var known) ? known : Suggestions.Header(name);

    /// <summary>The folder's value for an envelope field, when the file was dropped in a folder that gives one.</summary>
    private string? FromFolder(string field) => input.DropPath is not { } drop ? null
        : field == SubmissionFields.ReportingPeriod && Period.TryParse(drop.ReportingPeriod, out var month) ? month.ToString()
        : field == SubmissionFields.OrganisationCode && drop.OrganisationCode.Trim().Length > 0 ? drop.OrganisationCode.Trim()
            .ToUpperInvariant()
        : null;

    public void Measure(RawRecord measure)
    {
        RowCount++;
        if (RowCount > options.MaxMeasureRows)
        {
            return;
        }

        var rowKey = RowKey(measure);
        if (measure.NotAnObject is null)
        {
            if (CanonicaliseCase(measure, rowKey))
            {
                rowKey = RowKey(measure);
            }
        }

        if (measure.NotAnObject is { } kind)
        {
            _allTainted = true;
            issues.Add(ErrorCatalogue.WrongType, measure.Locator.Record, kind, null,
                Args.Of("field", $"Measure {measure.Index}"), Args.Of("expected", "an object with indicator, breakdown, group, numerator and denominator"),
                Args.Of("why", string.Empty), Args.Of("hint", FieldGuide.Hint(SubmissionFields.Measures)));
            return;
        }

        var bad = PersonalDataIn(measure, rowKey);
        if (schema.CheckMeasure(_validator, measure, issues, rowKey, options.GeneralSchemaOnly) is { Count: > 0 } schemaBad)
        {
            bad.UnionWith(schemaBad);
        }
        var measureOrNull = CheckReferences(measure, bad, rowKey);
        if (measureOrNull is null)
        {
            // A bad row leaves its indicator's totals and sums unjudgeable; a row without a readable indicator, all of them.
            if (measure.Text(SubmissionFields.Indicator) is { Length: > 0 } indicator)
            {
                _tainted.Add(indicator);
            }
            else
            {
                _allTainted = true;
            }

            return;
        }

        _rows.Add(new CheckedMeasure(measureOrNull, measure.Locator));
    }

    /// <summary>Runs the whole-file rules and returns the typed submission when there are no errors.</summary>
    public Submission? Finish()
    {
        if (RowCount > options.MaxMeasureRows)
        {
            issues.Add(ErrorCatalogue.TooManyRows, new IssueLocation(), null, null,
                Args.Of("count", RowCount), Args.Of("limit", options.MaxMeasureRows));
        }

        if (_stopped || _envelope is null)
        {
            // The document is incomplete: whole-file rules would only repeat the reading problem in other words.
            return null;
        }

        var (organisation, period, envelopeBad) = CheckEnvelope(_envelope);
        if (RowCount == 0 && !envelopeBad.Contains(SubmissionFields.Measures))
        {
            issues.Add(ErrorCatalogue.NoMeasures, _envelope.Locator.Field(SubmissionFields.Measures));
        }
        else if (!_allTainted && RowCount <= options.MaxMeasureRows)
        {
            SubmissionRules.Check(_rows, _tainted, issues);
        }

        if (issues.HasErrors || organisation is null || period is null)
        {
            return null;
        }

        return new Submission(
            _envelope.Text(SubmissionFields.SchemaVersion) ?? SubmissionFields.CurrentSchemaVersion,
            organisation,
            period.Value,
            _envelope.Text(SubmissionFields.SubmittedBy) is { Length: > 0 } sender ? sender : null,
            [.. _rows.Select(r => r.Measure)]);
    }

    private (string? Organisation, Period? Period, HashSet<string> Bad) CheckEnvelope(RawRecord envelope)
    {
        var bad = PersonalDataIn(envelope, null);
        bad.UnionWith(schema.CheckEnvelope(_validator, envelope, issues));
        string? organisation = null;
        Period? period = null;
        var periodText = envelope.Text(SubmissionFields.ReportingPeriod);
        if (!bad.Contains(SubmissionFields.ReportingPeriod) && periodText is not null)
        {
            var where = envelope.Locator.Field(SubmissionFields.ReportingPeriod);
            var now = Period.FromDateTimeOffset(time.GetUtcNow());
            if (!Period.TryParse(periodText, out var parsed))
            {
                issues.Add(ErrorCatalogue.PeriodNotReal, where, periodText);
            }
            else if (parsed > now)
            {
                issues.Add(ErrorCatalogue.PeriodInFuture, where, periodText, null, Args.Of("now", now.ToString()));
            }
            else if (parsed < options.EarliestPeriod)
            {
                issues.Add(ErrorCatalogue.PeriodTooEarly, where, periodText, null, Args.Of("earliest", options.EarliestPeriod.ToString()));
            }
            else if (input.DropPath is { } drop && !string.Equals(drop.ReportingPeriod, periodText, StringComparison.Ordinal))
            {
                issues.Add(ErrorCatalogue.FolderPeriodMismatch, where, periodText, null,
                    Args.Of("folder", $"submissions/{drop.OrganisationCode}/{drop.ReportingPeriod}/"), Args.Of("organisation", drop.OrganisationCode));
            }
            else
            {
                period = parsed;
            }
        }

        if (!bad.Contains(SubmissionFields.SubmittedBy) && envelope.Text(SubmissionFields.SubmittedBy) is { Length: > 0 } sender
            && options.IsDeliverableAddress is { } deliverable && !deliverable(sender.Trim()))
        {
            issues.Add(ErrorCatalogue.SubmittedByNotDeliverable, envelope.Locator.Field(SubmissionFields.SubmittedBy), sender);
        }

        var code = envelope.Text(SubmissionFields.OrganisationCode);
        if (!bad.Contains(SubmissionFields.OrganisationCode) && code is not null)
        {
            var where = envelope.Locator.Field(SubmissionFields.OrganisationCode);
            var trust = reference.FindTrust(code);
            if (trust is null)
            {
                issues.Add(ErrorCatalogue.UnknownOrganisation, where, code);
            }
            else if (Period.TryParse(periodText, out var month) && !reference.IsTrustActive(code, month))
            {
                issues.Add(ErrorCatalogue.OrganisationNotActive, where, code, null, Args.Of("period", month.ToString()),
                    Args.Of("from", trust.EffectiveFrom?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "the start"),
                    Args.Of("to", trust.EffectiveTo?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "now"));
            }
            else if (input.DropPath is { } drop && !string.Equals(drop.OrganisationCode, code, StringComparison.OrdinalIgnoreCase))
            {
                issues.Add(ErrorCatalogue.FolderOrganisationMismatch, where, code, null, Args.Of("folder", $"submissions/{drop.OrganisationCode}/"));
            }
            else
            {
                organisation = code;
            }
        }

        return (organisation, period, bad);
    }

    /// <summary>
    /// Reads a code written in another case ('a', 'Stillbirth', 'Total') as the one code it can stand for, with a warning:
    /// no two codes of the contract differ only in case, so this never guesses. Anything else is left for the checks to judge.
    /// </summary>
    /// <returns>Whether any code was rewritten (and so the row key changed).</returns>
    private bool CanonicaliseCase(RawRecord measure, string? rowKey)
    {
        var changed = false;
        foreach (var field in CodeFields)
        {
            if (measure.Value(field) is not JValue { Value: string text } || measure.Reported.Contains(field))
            {
                continue;
            }

            if (KeepsCase(field, text, measure))
            {
                continue;
            }

            var codes = field == SubmissionFields.Indicator ? reference.Indicators.Select(i => i.Code)
                : field == SubmissionFields.Breakdown ? BreakdownNames.All
                : BreakdownNames.TryParse(measure.Text(SubmissionFields.Breakdown), out var breakdown) ? GroupCodes(breakdown)
                : [];
            if (codes.Contains(text, StringComparer.Ordinal))
            {
                continue;
            }

            var matches = codes.Where(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase)).Take(2).ToList();
            if (matches.Count == 1)
            {
                var canonical = matches[0];
                issues.Add(ErrorCatalogue.CodeInAnotherCase, measure.Locator.Field(field), text, rowKey, Args.Of("field", field),
                    Args.Of("canonical", canonical));
                measure.Set(field, new JValue(canonical), canonical);
                changed = true;
            }
        }

        return changed;
    }

    private static readonly string[] CodeFields = [SubmissionFields.Indicator, SubmissionFields.Breakdown, SubmissionFields.Group];

    /// <summary>
    /// True when <see cref="CanonicaliseCase"/> would leave <paramref name="text"/> as it is: it is one of the field's codes
    /// exactly, or none of them in any case. Decided from sets made once per file instead of listing the codes per row.
    /// </summary>
    private bool KeepsCase(string field, string text, RawRecord measure)
    {
        var codes = field == SubmissionFields.Indicator ? _indicatorCodes ??= CodeSets.Of(reference.Indicators.Select(i => i.Code))
            : field == SubmissionFields.Breakdown ? CodeSets.Breakdowns
            : !BreakdownNames.TryParse(measure.Text(SubmissionFields.Breakdown), out var breakdown) ? CodeSets.None
            : breakdown == Breakdown.EthnicCategory ? _ethnicCodes ??= CodeSets.Of(GroupCodes(breakdown))
            : breakdown == Breakdown.Total ? CodeSets.Total
            : CodeSets.Imd;
        return codes.Exact.Contains(text) || !codes.AnyCase.Contains(text);
    }

    /// <summary>A field's codes, as written and in any case.</summary>
    private sealed record CodeSets(HashSet<string> Exact, HashSet<string> AnyCase)
    {
        public static readonly CodeSets None = Of([]);
        public static readonly CodeSets Breakdowns = Of(BreakdownNames.All);
        public static readonly CodeSets Total = Of(["all"]);
        public static readonly CodeSets Imd = Of([ImdGroups.Unassignable]);

        public static CodeSets Of(IEnumerable<string> codes)
        {
            var list = codes.ToList();
            return new(new HashSet<string>(list, StringComparer.Ordinal), new HashSet<string>(list, StringComparer.OrdinalIgnoreCase));
        }
    }

    /// <summary>The breakdown's group codes that have letters in them (digits have no case).</summary>
    private IEnumerable<string> GroupCodes(Breakdown breakdown) => breakdown switch
    {
        Breakdown.Total => ["all"],
        Breakdown.EthnicCategory => reference.EthnicCategories.Select(e => e.Code),
        _ => [ImdGroups.Unassignable],
    };

    /// <summary>Codes judged against the reference data, and the row's own arithmetic; null when the row has any problem.</summary>
    private Measure? CheckReferences(RawRecord record, HashSet<string> bad, string? rowKey)
    {
        var indicator = record.Text(SubmissionFields.Indicator);
        if (!bad.Contains(SubmissionFields.Indicator) && indicator is not null && reference.FindIndicator(indicator) is null)
        {
            bad.Add(SubmissionFields.Indicator);
            issues.Add(ErrorCatalogue.UnknownIndicator, record.Locator.Field(SubmissionFields.Indicator), indicator, rowKey,
                Args.Of("suggestion", Suggestions.Indicator(indicator, reference) is { } meant ? $" Did you mean {meant}?" : string.Empty));
        }

        var breakdownOk = BreakdownNames.TryParse(record.Text(SubmissionFields.Breakdown), out var breakdown) && !bad.Contains(SubmissionFields.Breakdown);
        var group = record.Text(SubmissionFields.Group);
        if (breakdownOk && !bad.Contains(SubmissionFields.Group) && group is not null && !IsGroupOf(breakdown, group))
        {
            bad.Add(SubmissionFields.Group);
            var meant = breakdown == Breakdown.EthnicCategory ? Suggestions.EthnicCategory(group, reference)
                : Suggestions.GroupCase(group, g => IsGroupOf(breakdown, g));
            issues.Add(ErrorCatalogue.UnknownGroup, record.Locator.Field(SubmissionFields.Group), group, rowKey,
                Args.Of("breakdown", breakdown.ToWire()), Args.Of("hint", FieldGuide.GroupHint(breakdown)),
                Args.Of("suggestion", meant is null ? string.Empty : $" Did you mean {meant}?"));
        }

        if (!bad.Contains(SubmissionFields.Numerator) && !bad.Contains(SubmissionFields.Denominator) &&
            record.Value(SubmissionFields.Numerator) is JValue { Value: long numerator } &&
            record.Value(SubmissionFields.Denominator) is JValue { Value: long denominator })
        {
            if (denominator == 0 && numerator > 0)
            {
                bad.Add(SubmissionFields.Denominator);
                issues.Add(ErrorCatalogue.ZeroDenominator, record.Locator.Field(SubmissionFields.Denominator), "0", rowKey, Args.Of("numerator", numerator));
            }
            else if (numerator > denominator)
            {
                bad.Add(SubmissionFields.Numerator);
                issues.Add(ErrorCatalogue.NumeratorAboveDenominator, record.Locator.Field(SubmissionFields.Numerator),
                    record.Text(SubmissionFields.Numerator), rowKey, Args.Of("numerator", numerator), Args.Of("denominator", denominator));
            }

            if (bad.Count == 0)
            {
                // The reference data's own strings: 100,000 kept rows share a few dozen code strings instead of owning copies.
                return new Measure(reference.FindIndicator(indicator!)!.Code, breakdown, Canonical(breakdown, group!), numerator, denominator);
            }
        }

        return null;
    }

    private static readonly string[] Numbers = [.. Enumerable.Range(0, 11).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private string Canonical(Breakdown breakdown, string group) => breakdown switch
    {
        Breakdown.Total => "all",
        Breakdown.EthnicCategory => reference.FindEthnicCategory(group)!.Code,
        _ when group == ImdGroups.Unassignable => ImdGroups.Unassignable,
        _ => Numbers[int.Parse(group, System.Globalization.CultureInfo.InvariantCulture)],
    };

    private bool IsGroupOf(Breakdown breakdown, string group) => breakdown switch
    {
        Breakdown.Total => group == "all",
        Breakdown.EthnicCategory => reference.FindEthnicCategory(group) is not null,
        Breakdown.ImdDecile => group == ImdGroups.Unassignable || (int.TryParse(group, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var d) && group[0] != '0' && reference.FindDecile(d) is not null),
        Breakdown.ImdQuintile => group == ImdGroups.Unassignable || (int.TryParse(group, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var q) && group[0] != '0' && reference.Deciles.Any(x => x.Quintile == q)),
        _ => false,
    };

    /// <summary>NHS numbers and postcodes anywhere in the record (unknown columns included) are errors; the value is masked.</summary>
    private HashSet<string> PersonalDataIn(RawRecord record, string? rowKey)
    {
        var bad = new HashSet<string>(StringComparer.Ordinal);
        var texts = record.Texts;
        for (var i = 0; i < texts.Count; i++)
        {
            var (field, text) = texts[i];
            if (Flag(field, text, record.Locator, rowKey))
            {
                bad.Add(field);
                record.Reported.Add(field);
            }
        }

        foreach (var (name, text, location) in record.Unlisted)
        {
            Flag(name, text, new FixedLocator(location), rowKey);
        }

        return bad;
    }

    private bool Flag(string field, string text, IRecordLocator locator, string? rowKey)
    {
        if (PersonalData.IsNhsNumber(text))
        {
            issues.Add(ErrorCatalogue.NhsNumber, locator.Field(field), text, rowKey, Args.Of("field", field));
            return true;
        }

        if (PersonalData.IsPostcode(text))
        {
            issues.Add(ErrorCatalogue.Postcode, locator.Field(field), text, rowKey, Args.Of("field", field));
            return true;
        }

        return false;
    }

    /// <summary>A location already known (unknown columns), in the locator shape <see cref="Flag"/> takes.</summary>
    private sealed class FixedLocator(IssueLocation location) : IRecordLocator
    {
        public IssueLocation Record => location;

        public IssueLocation Field(string field) => location;
    }

    private static string? RowKey(RawRecord record)
    {
        var (indicator, breakdown, group) = (record.Text(SubmissionFields.Indicator) ?? "?", record.Text(SubmissionFields.Breakdown) ?? "?",
            record.Text(SubmissionFields.Group) ?? "?");
        return indicator == "?" && breakdown == "?" && group == "?" ? null : string.Concat(indicator, "/", breakdown, "/", group);
    }
}
