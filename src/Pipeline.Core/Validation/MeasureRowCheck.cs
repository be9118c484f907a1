using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using Pipeline.Core.Submissions.Reading;

namespace Pipeline.Core.Validation;

/// <summary>
/// A fast, allocation-free test that a measure row satisfies the contract's <c>#/definitions/measure</c>: it only ever
/// says "valid" (the general validator would find no error) or "cannot tell", and a row it cannot vouch for goes to the
/// general JSON-schema validator, so every error keeps its wording. Built from the schema text itself: it understands
/// required, additionalProperties false, and per property type string (pattern, enum) or integer (minimum, maximum); a
/// schema using any other keyword gets no fast check at all, so a change to the contract can never be half-applied.
/// </summary>
/// <remarks>
/// Patterns are matched with the same .NET regex semantics NJsonSchema applies (<c>Regex.IsMatch(value, pattern)</c>,
/// no options): compiling them changes speed, not what matches.
/// </remarks>
internal sealed class MeasureRowCheck
{
    private static readonly HashSet<string> ObjectKeywords = new(StringComparer.Ordinal)
    {
        "description", "type", "required", "additionalProperties", "properties",
    };

    private static readonly HashSet<string> PropertyKeywords = new(StringComparer.Ordinal)
    {
        "description", "type", "pattern", "enum", "minimum", "maximum",
    };

    private readonly Rule[] _rules;

    private MeasureRowCheck(Rule[] rules) => _rules = rules;

    /// <summary>The check for a schema document's measure definition, or null when it uses a keyword the check does not know.</summary>
    public static MeasureRowCheck? FromSchema(string schemaJson)
    {
        if (JObject.Parse(schemaJson).SelectToken("definitions.measure") is not JObject measure
            || measure.Properties().Any(p => !ObjectKeywords.Contains(p.Name))
            || measure["type"]?.ToString() != "object"
            || measure["additionalProperties"] is not JValue { Type: JTokenType.Boolean, Value: false }
            || measure["properties"] is not JObject properties
            || measure["required"] is not JArray required)
        {
            return null;
        }

        var names = properties.Properties().Select(p => p.Name).ToList();
        var requiredNames = required.Select(r => r.Type == JTokenType.String ? (string?)r : null).ToList();
        if (requiredNames.Any(r => r is null) || !names.ToHashSet(StringComparer.Ordinal).SetEquals(requiredNames!))
        {
            // Optional or undeclared-but-required fields: outside what the fast check decides.
            return null;
        }

        var rules = new List<Rule>();
        foreach (var property in properties.Properties())
        {
            if (property.Value is not JObject definition || definition.Properties().Any(p => !PropertyKeywords.Contains(p.Name))
                || Rule.From(property.Name, definition) is not { } rule)
            {
                return null;
            }

            rules.Add(rule);
        }

        return new MeasureRowCheck([.. rules]);
    }

    /// <summary>True only when the general validator would report nothing for this row's values.</summary>
    public bool Accepts(RawRecord record)
    {
        var entries = record.Entries;
        if (entries.Count != _rules.Length)
        {
            return false;
        }

        // Every field present exactly once (a record's fields are distinct), none other, each value allowed.
        foreach (var rule in _rules)
        {
            if (record.Value(rule.Field) is not JValue value || !rule.Allows(value))
            {
                return false;
            }
        }

        return true;
    }

    private sealed class Rule
    {
        private string[]? _enum;
        private Regex? _pattern;
        private bool _integer;
        private decimal? _minimum;
        private decimal? _maximum;

        public string Field { get; private init; } = string.Empty;

        public static Rule? From(string field, JObject definition)
        {
            var rule = new Rule { Field = field };
            switch (definition["type"])
            {
                case JValue { Value: "string" }:
                    if (definition["minimum"] is not null || definition["maximum"] is not null)
                    {
                        return null;
                    }

                    if (definition["pattern"] is { } pattern)
                    {
                        if (pattern.Type != JTokenType.String)
                        {
                            return null;
                        }

                        rule._pattern = new Regex((string)pattern!, RegexOptions.Compiled);
                    }

                    if (definition["enum"] is { } values)
                    {
                        if (values is not JArray list || list.Any(v => v.Type != JTokenType.String))
                        {
                            return null;
                        }

                        rule._enum = [.. list.Select(v => (string)v!)];
                    }

                    return rule;
                case JValue { Value: "integer" }:
                    if (definition["pattern"] is not null || definition["enum"] is not null)
                    {
                        return null;
                    }

                    rule._integer = true;
                    if (definition["minimum"] is { } minimum)
                    {
                        if (minimum.Type is not (JTokenType.Integer or JTokenType.Float))
                        {
                            return null;
                        }

                        rule._minimum = (decimal)minimum;
                    }

                    if (definition["maximum"] is { } maximum)
                    {
                        if (maximum.Type is not (JTokenType.Integer or JTokenType.Float))
                        {
                            return null;
                        }

                        rule._maximum = (decimal)maximum;
                    }

                    return rule;
                default:
                    return null;
            }
        }

        public bool Allows(JValue value)
        {
            if (_integer)
            {
                return value is { Type: JTokenType.Integer, Value: long whole }
                    && (_minimum is not { } min || whole >= min)
                    && (_maximum is not { } max || whole <= max);
            }

            return value is { Type: JTokenType.String, Value: string text }
                && (_enum is null || Array.IndexOf(_enum, text) >= 0)
                && (_pattern is null || _pattern.IsMatch(text));
        }
    }
}
