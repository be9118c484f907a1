using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Newtonsoft.Json.Linq;
using Pipeline.Core.Model;
using Pipeline.Core.Submissions.Reading;
using Pipeline.Core.Validation;
using static Pipeline.Core.Tests.Fixtures.Submissions;

namespace Pipeline.Core.Tests.Validation;

/// <summary>
/// The fast measure-row check is a shortcut, never a second opinion: it must not accept a row the contract's JSON schema
/// (NJsonSchema on the row's JObject) rejects, and the whole validator must give the same report and measures with it as
/// with the general validator alone, for valid rows and subtly broken ones (types, signs, sizes, patterns, enums, case,
/// whitespace, missing and extra fields).
/// </summary>
public class FastMeasureCheckProperties
{
    private static readonly string[] Fields = [.. SubmissionFields.Measure];

    /// <summary>Values close to valid ones: each differs from an accepted value in one way the schema may or may not allow.</summary>
    private static readonly Func<JToken>[] Tricky =
    [
        () => new JValue(string.Empty), () => new JValue(" stillbirth"), () => new JValue("stillbirth "), () => new JValue("stillbirth\n"),
        () => new JValue("Stillbirth"), () => new JValue("still-birth"), () => new JValue("1stillbirth"), () => new JValue("a"),
        () => new JValue("a" + new string('b', 63)), () => new JValue("a" + new string('b', 64)), () => new JValue("x\u0660"),
        () => new JValue("total"), () => new JValue("TOTAL"), () => new JValue("total\n"), () => new JValue(" total"),
        () => new JValue("imd_decile"), () => new JValue("all"), () => new JValue("ALL"), () => new JValue("all\n"), () => new JValue("A"),
        () => new JValue("AA"), () => new JValue("a"),
        () => new JValue("99"), () => new JValue("100"), () => new JValue("1\n"), () => new JValue("\u0663"), () => new JValue("\uFF21"),
        () => new JValue("K"), () => new JValue("\u212A"), () => new JValue("12"), () => new JValue((string?)null),
        () => new JValue(0L), () => new JValue(-1L), () => new JValue(1_000_000_000L), () => new JValue(1_000_000_001L),
        () => new JValue(long.MaxValue), () => new JValue(long.MinValue), () => new JValue(1.5), () => new JValue(2.0),
        () => new JValue(3m),
        () => new JValue(true), () => JValue.CreateNull(), () => new JArray(), () => new JObject(),
    ];

    private static readonly Gen<JToken> ValidIndicator = OneOf("stillbirth", "caesarean", "a", "x_1", "preterm_birth")
        .Select(s => (JToken)new JValue(s));

    private static readonly Gen<JToken> ValidBreakdown = OneOf("total", "ethnic_category", "imd_decile", "imd_quintile")
        .Select(s => (JToken)new JValue(s));

    private static readonly Gen<JToken> ValidGroup = OneOf("all", "A", "Z", "U", "1", "10", "99", "0")
        .Select(s => (JToken)new JValue(s));

    private static readonly Gen<JToken> ValidCount = Gen.Long[0, 1_000_000_000].Select(n => (JToken)new JValue(n));

    /// <summary>What may happen to a valid row: a value swapped for a tricky one, a field dropped, added or set twice.</summary>
    private static readonly Gen<(int Kind, int Field, int Value, string Extra)> Mutation =
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, Fields.Length - 1], Gen.Int[0, Tricky.Length - 1],
            OneOf("extra", "Indicator", "numerator ", "group_code", string.Empty));

    private static readonly Gen<(JToken[] Values, (int Kind, int Field, int Value, string Extra)[] Mutations)> Row =
        Gen.Select(Gen.Select(ValidIndicator, ValidBreakdown, ValidGroup, ValidCount, ValidCount), Mutation.Array[0, 3])
            .Select(x => (new[] { x.Item1.Item1, x.Item1.Item2, x.Item1.Item3, x.Item1.Item4, x.Item1.Item5 }, x.Item2));

    [Fact]
    public async Task Fast_check_accepts_only_rows_the_json_schema_accepts()
    {
        var schema = await SubmissionSchema.LoadAsync();
        var check = MeasureRowCheck.FromSchema(EmbeddedSchemaText());
        Assert.NotNull(check);
        var measure = schema.Document.Definitions["measure"];
        var (accepted, vouched) = (0, 0);
        Row.Sample(row =>
        {
            var record = Build(row.Values, row.Mutations);
            var errors = new NJsonSchema.Validation.JsonSchemaValidator().Validate(record.Values, measure);
            if (errors.Count == 0)
            {
                accepted++;
            }

            if (!check.Accepts(record))
            {
                return true;
            }

            vouched++;
            return errors.Count == 0;
        }, iter: 20_000);

        // Not vacuous: the shortcut is taken for most rows the schema accepts, and the generator makes both kinds.
        Assert.True(vouched > 2_000 && vouched * 10 >= accepted * 9, $"fast check vouched for {vouched} of {accepted} valid rows");
        Assert.True(accepted < 18_000, $"only {20_000 - accepted} of 20,000 rows were invalid");
    }

    [Fact]
    public void Fast_check_vouches_for_every_unchanged_valid_row()
    {
        var check = MeasureRowCheck.FromSchema(EmbeddedSchemaText())!;
        Row.Sample(row => check.Accepts(Build(row.Values, [])), iter: 2_000);
    }

    [Fact]
    public void A_schema_with_a_keyword_the_fast_check_does_not_know_gets_no_fast_check()
    {
        var text = EmbeddedSchemaText();
        var withLength = JObject.Parse(text);
        ((JObject)withLength.SelectToken("definitions.measure.properties.group")!)["maxLength"] = 2;
        var optional = JObject.Parse(text);
        ((JArray)optional.SelectToken("definitions.measure.required")!).RemoveAt(0);

        Assert.NotNull(MeasureRowCheck.FromSchema(text));
        Assert.Null(MeasureRowCheck.FromSchema(withLength.ToString()));
        Assert.Null(MeasureRowCheck.FromSchema(optional.ToString()));
    }

    /// <summary>CSV cells a submitter might type instead of a valid one.</summary>
    private static readonly string[] CsvTricky =
    [
        "", " 12 ", "1.5", "12.0", "-3", "1e3", "1,200", "1 200", "\uFF11\uFF12", "\u0661\u0662", "abc", "*", "<5", "12%", "1000000001",
        "99999999999999999999", "943 476 5919", "SW1A 1AA", "Stillbirth", "stillbirth", "still birth", "TOTAL", "Total", "total", "a", "A",
        "all", "ALL", "99", "Z", "u", "U", "0", "10", "11", "ethnic_category", "imd_quintile", "\"quoted, comma\"", "x\u0660",
    ];

    [Fact]
    public async Task Csv_reports_and_measures_are_the_same_with_and_without_the_fast_check()
    {
        var header = "organisation_code,reporting_period,indicator,breakdown,group,numerator,denominator";
        var rows = ValidMeasures()
            .Select(m => new[] { m.IndicatorCode, m.Breakdown.ToWire(), m.GroupCode, $"{m.Numerator}", $"{m.Denominator}" })
            .ToArray();
        var edit = Gen.Select(Gen.Int[0, rows.Length - 1], Gen.Int[0, 4], Gen.Int[0, CsvTricky.Length - 1]);
        var file = Gen.Select(edit.Array[0, 4], Gen.Int[0, 3]);
        await SampleAsync(file, async f =>
        {
            var (edits, shape) = f;
            var cells = rows.Select(r => r.ToArray()).ToArray();
            foreach (var (row, column, value) in edits)
            {
                cells[row][column] = CsvTricky[value];
            }

            var text = new StringBuilder(shape == 1 ? header + ",extra\n" : header + "\n");
            foreach (var row in cells)
            {
                text.Append("R0A,2026-10,").AppendJoin(',', row).Append(shape == 1 ? ",x\n" : shape == 2 ? ",stray\n" : "\n");
            }

            return await BothWaysAsync("s.csv", Encoding.UTF8.GetBytes(text.ToString()));
        });
    }

    /// <summary>JSON values a producer might emit instead of a valid one.</summary>
    private static readonly Func<JsonNode?>[] JsonTricky =
    [
        () => "12", () => 1.5, () => 12.0, () => -3, () => 1_000_000_001L, () => 1e20, () => true, () => null, () => new JsonArray(),
        () => new JsonObject(), () => "Stillbirth", () => " stillbirth", () => "stillbirth\n", () => "TOTAL", () => "total ", () => "all",
        () => "ALL", () => "a", () => "99", () => "u", () => "943 476 5919", () => "SW1A 1AA", () => "", () => "x\u0660", () => 0,
    ];

    [Fact]
    public async Task Json_reports_and_measures_are_the_same_with_and_without_the_fast_check()
    {
        var measures = ValidMeasures();
        var edit = Gen.Select(Gen.Int[0, measures.Count - 1], Gen.Int[0, 6], Gen.Int[0, JsonTricky.Length - 1]);
        await SampleAsync(edit.Array[0, 4], async edits =>
        {
            var items = measures.Select(m => new JsonObject
            {
                ["indicator"] = m.IndicatorCode, ["breakdown"] = m.Breakdown.ToWire(), ["group"] = m.GroupCode,
                ["numerator"] = m.Numerator, ["denominator"] = m.Denominator,
            }).ToArray();
            foreach (var (row, field, value) in edits)
            {
                // 5 drops a field, 6 adds one; otherwise a field's value is replaced.
                if (field == 5)
                {
                    items[row].Remove(Fields[value % Fields.Length]);
                }
                else
                {
                    items[row][field == 6 ? "extra" : Fields[field]] = JsonTricky[value]();
                }
            }

            var document = new JsonObject
            {
                ["organisation_code"] = "R0A", ["reporting_period"] = "2026-10", ["measures"] = new JsonArray([.. items]),
            };
            return await BothWaysAsync("s.json", Encoding.UTF8.GetBytes(document.ToJsonString()));
        });
    }

    private static async Task SampleAsync<T>(Gen<T> gen, Func<T, Task<(string Fast, string General)>> run)
    {
        // Validation is async; CsCheck's sampler is not, so the cases are drawn first and run in turn.
        var cases = new List<T>();
        gen.Sample(cases.Add, iter: 300, threads: 1);
        foreach (var c in cases)
        {
            var (fast, general) = await run(c);
            Assert.Equal(general, fast);
        }
    }

    private static async Task<(string Fast, string General)> BothWaysAsync(string name, byte[] bytes)
    {
        var fast = await ValidateAsync(name, bytes);
        var general = await ValidateAsync(name, bytes, options: new ValidationOptions { GeneralSchemaOnly = true });
        return (Describe(fast), Describe(general));
    }

    private static string Describe(ValidationResult result) =>
        JsonSerializer.Serialize(result.Report) + "\n" + JsonSerializer.Serialize(result.Submission);

    private static Gen<string> OneOf(params string[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static RawRecord Build(JToken[] values, (int Kind, int Field, int Value, string Extra)[] mutations)
    {
        var entries = Fields.Zip(values).Select(p => (Field: p.First, Value: p.Second)).ToList();
        var twice = new List<(string, JToken)>();
        foreach (var (kind, field, value, extra) in mutations)
        {
            switch (kind)
            {
                case 0:
                    entries = [.. entries.Select(e => e.Field == Fields[field] ? (e.Field, Tricky[value]()) : e)];
                    break;
                case 1:
                    entries.RemoveAll(e => e.Field == Fields[field]);
                    break;
                case 2:
                    entries.Add((extra, Tricky[value]()));
                    break;
                default:
                    twice.Add((Fields[field], Tricky[value]()));
                    break;
            }
        }

        var record = new RawRecord(0, new NoLocator());
        foreach (var (field, value) in entries.Concat(twice))
        {
            record.Set(field, value, value.ToString());
        }

        return record;
    }

    private static string EmbeddedSchemaText()
    {
        using var stream = typeof(SubmissionSchema).Assembly.GetManifestResourceStream(SubmissionSchema.ResourceName)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private sealed class NoLocator : IRecordLocator
    {
        public IssueLocation Record => new();

        public IssueLocation Field(string field) => new(JsonPointer: "/" + field);
    }
}
