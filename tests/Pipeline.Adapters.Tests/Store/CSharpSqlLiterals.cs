using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Adapters.Tests.Store;

/// <summary>
/// Collects the SQL statements written as C# string literals in a source file, so a T-SQL parser can check them: every
/// literal (regular, verbatim, raw, interpolated), joined with the literals and same-file string constants it is
/// concatenated with by <c>+</c>, interpolation holes filled from same-file constants or from a table of representative
/// values (a hole with no value is reported, never guessed). A small scanner, not a compiler: it knows C#'s literal and
/// comment syntax, which is all it needs.
/// </summary>
internal static partial class CSharpSqlLiterals
{
    public sealed record Statement(string File, int Line, string Sql, IReadOnlyList<string> UnknownHoles);

    private sealed record Literal(int Start, int End, IReadOnlyList<object> Parts); // parts: string text or Hole

    private sealed record Hole(string Expression);

    public static IReadOnlyList<Statement> Collect(string path, IReadOnlyDictionary<string, string> holeValues)
    {
        var source = File.ReadAllText(path);
        var literals = Scan(source);
        var definitions = Definitions(source, literals);
        var statements = new List<Statement>();
        var used = new HashSet<int>();
        for (var i = 0; i < literals.Count; i++)
        {
            if (used.Contains(i))
            {
                continue;
            }

            // A chain: [identifier +] literal (+ literal | + identifier)*
            var unknown = new List<string>();
            var text = new StringBuilder();
            if (PrecedingIdentifier(source, literals[i].Start) is { } before && definitions.ContainsKey(before))
            {
                text.Append(Evaluate(before, definitions, holeValues, unknown, 0));
            }

            var j = i;
            text.Append(Render(literals[j], definitions, holeValues, unknown, 0));
            while (true)
            {
                var after = Plus().Match(source, literals[j].End);
                if (!after.Success || after.Index != literals[j].End)
                {
                    break;
                }

                var next = literals.FindIndex(j + 1, l => l.Start == after.Index + after.Length);
                if (next >= 0)
                {
                    used.Add(next);
                    j = next;
                    text.Append(Render(literals[j], definitions, holeValues, unknown, 0));
                    continue;
                }

                var identifier = Identifier().Match(source, after.Index + after.Length);
                if (identifier.Success && identifier.Index == after.Index + after.Length && definitions.ContainsKey(identifier.Value))
                {
                    text.Append(Evaluate(identifier.Value, definitions, holeValues, unknown, 0));
                }

                break;
            }

            var sql = text.ToString();
            // A constant that is only a piece of statements (it is concatenated where used) is checked there, whole.
            var definedAs = DefinedName().Match(source[Math.Max(0, literals[i].Start - 200)..literals[i].Start]);
            var isPiece = definedAs.Success && Regex.IsMatch(source, $@"\b{definedAs.Groups[1].Value}\s*\+|\+\s*{definedAs.Groups[1].Value}\b");
            if (SqlStart().IsMatch(sql) && !isPiece)
            {
                statements.Add(new Statement(Path.GetFileName(path), source[..literals[i].Start].Count(c => c == '\n') + 1, sql, unknown));
            }
        }

        return statements;
    }

    private static string Render(Literal literal, IReadOnlyDictionary<string, string> definitions, IReadOnlyDictionary<string, string> holeValues, List<string> unknown, int depth)
    {
        var text = new StringBuilder();
        foreach (var part in literal.Parts)
        {
            if (part is string s)
            {
                text.Append(s);
                continue;
            }

            var expression = ((Hole)part).Expression.Split(':')[0].Trim();
            if (definitions.ContainsKey(expression))
            {
                text.Append(Evaluate(expression, definitions, holeValues, unknown, depth + 1));
            }
            else if (holeValues.TryGetValue(expression, out var value))
            {
                text.Append(value);
            }
            else
            {
                unknown.Add(expression);
            }
        }

        return text.ToString();
    }

    private static string Evaluate(string name, IReadOnlyDictionary<string, string> definitions, IReadOnlyDictionary<string, string> holeValues, List<string> unknown, int depth)
    {
        if (depth > 5)
        {
            unknown.Add(name);
            return string.Empty;
        }

        var expression = definitions[name];
        var text = new StringBuilder();
        foreach (var literal in Scan(expression))
        {
            text.Append(Render(literal, definitions, holeValues, unknown, depth));
        }

        foreach (Match m in Identifier().Matches(Literalless(expression)))
        {
            if (definitions.ContainsKey(m.Value) && m.Value != name)
            {
                text.Insert(0, Evaluate(m.Value, definitions, holeValues, unknown, depth + 1));
            }
        }

        return text.ToString();
    }

    // name = <expression>; for string constants and fields (the expression's literals are scanned again when evaluated).
    private static Dictionary<string, string> Definitions(string source, IReadOnlyList<Literal> literals)
    {
        var definitions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in Definition().Matches(source))
        {
            var start = m.Index + m.Length;
            var end = start;
            while (end < source.Length && source[end] != ';')
            {
                var inside = literals.FirstOrDefault(l => l.Start == end);
                end = inside is not null ? inside.End : end + 1;
            }

            definitions[m.Groups[1].Value] = source[start..end];
        }

        return definitions;
    }

    private static string Literalless(string expression)
    {
        var text = new StringBuilder(expression);
        foreach (var literal in Scan(expression))
        {
            for (var i = literal.Start; i < literal.End; i++)
            {
                text[i] = ' ';
            }
        }

        return text.ToString();
    }

    private static string? PrecedingIdentifier(string source, int start)
    {
        var m = PrecedingPlus().Match(source[Math.Max(0, start - 200)..start]);
        return m.Success ? m.Groups[1].Value : null;
    }

    /// <summary>Every string literal outside comments, with its holes.</summary>
    private static List<Literal> Scan(string source)
    {
        var literals = new List<Literal>();
        var i = 0;
        while (i < source.Length)
        {
            if (source[i] == '/' && i + 1 < source.Length && source[i + 1] == '/')
            {
                i = source.IndexOf('\n', i) is var n && n < 0 ? source.Length : n;
            }
            else if (source[i] == '/' && i + 1 < source.Length && source[i + 1] == '*')
            {
                i = source.IndexOf("*/", i + 2, StringComparison.Ordinal) + 2;
            }
            else if (source[i] == '\'')
            {
                i = SkipChar(source, i);
            }
            else if (StartsLiteral(source, i))
            {
                var literal = ReadLiteral(source, i);
                literals.Add(literal);
                i = literal.End;
            }
            else
            {
                i++;
            }
        }

        return literals;
    }

    private static bool StartsLiteral(string source, int i)
    {
        var j = i;
        while (j < source.Length && (source[j] == '$' || source[j] == '@'))
        {
            j++;
        }

        return j < source.Length && source[j] == '"' && (i == 0 || !char.IsLetterOrDigit(source[i - 1]));
    }

    private static int SkipChar(string source, int i)
    {
        var j = i + 1;
        while (j < source.Length && source[j] != '\'')
        {
            j += source[j] == '\\' ? 2 : 1;
        }

        return j + 1;
    }

    private static Literal ReadLiteral(string source, int start)
    {
        var i = start;
        int dollars = 0;
        var verbatim = false;
        while (source[i] is '$' or '@')
        {
            dollars += source[i] == '$' ? 1 : 0;
            verbatim |= source[i] == '@';
            i++;
        }

        var quotes = 0;
        while (i + quotes < source.Length && source[i + quotes] == '"')
        {
            quotes++;
        }

        var parts = new List<object>();
        var text = new StringBuilder();
        if (quotes >= 3)
        {
            // Raw: content up to the same run of quotes; holes are dollars-many braces; common indentation removed.
            i += quotes;
            var close = new string('"', quotes);
            while (!source.AsSpan(i).StartsWith(close))
            {
                if (dollars > 0 && source.AsSpan(i).StartsWith(new string('{', dollars)) && (i + dollars >= source.Length || source[i + dollars] != '{'))
                {
                    parts.Add(text.ToString());
                    text.Clear();
                    var (expression, end) = ReadHole(source, i + dollars, dollars);
                    parts.Add(new Hole(expression));
                    i = end;
                    continue;
                }

                text.Append(source[i++]);
            }

            parts.Add(text.ToString());
            return new Literal(start, i + quotes, parts);
        }

        i++; // opening quote
        while (true)
        {
            var c = source[i];
            if (c == '"')
            {
                if (verbatim && i + 1 < source.Length && source[i + 1] == '"')
                {
                    text.Append('"');
                    i += 2;
                    continue;
                }

                break;
            }

            if (!verbatim && c == '\\')
            {
                text.Append(source[i + 1] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', var other => other });
                i += 2;
                continue;
            }

            if (dollars > 0 && c == '{')
            {
                if (source[i + 1] == '{')
                {
                    text.Append('{');
                    i += 2;
                    continue;
                }

                parts.Add(text.ToString());
                text.Clear();
                var (expression, end) = ReadHole(source, i + 1, 1);
                parts.Add(new Hole(expression));
                i = end;
                continue;
            }

            if (dollars > 0 && c == '}' && source[i + 1] == '}')
            {
                text.Append('}');
                i += 2;
                continue;
            }

            text.Append(c);
            i++;
        }

        parts.Add(text.ToString());
        return new Literal(start, i + 1, parts);
    }

    // From just inside the opening brace(s) to past the closing ones; nested strings and braces are skipped whole.
    private static (string Expression, int End) ReadHole(string source, int i, int braces)
    {
        var start = i;
        var depth = 0;
        while (true)
        {
            if (StartsLiteral(source, i))
            {
                i = ReadLiteral(source, i).End;
                continue;
            }

            if (source[i] == '\'')
            {
                i = SkipChar(source, i);
                continue;
            }

            if (source[i] == '{')
            {
                depth++;
            }
            else if (source[i] == '}')
            {
                if (depth == 0)
                {
                    return (source[start..i], i + braces);
                }

                depth--;
            }

            i++;
        }
    }

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)\s*=\s*$")]
    private static partial Regex DefinedName();

    [GeneratedRegex(@"\s*\+\s*")]
    private static partial Regex Plus();

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)\s*\+\s*$")]
    private static partial Regex PrecedingPlus();

    [GeneratedRegex(@"(?:const\s+string|static\s+readonly\s+string|string)\s+([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)\s*")]
    private static partial Regex Definition();

    [GeneratedRegex(@"^\s*(select|insert\s+into|update\s+\w+\s+set|delete\s+from|create\s|alter\s|drop\s|merge\s|with\s|declare\s|if\s)", RegexOptions.IgnoreCase)]
    private static partial Regex SqlStart();
}
