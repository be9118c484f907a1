using System.Globalization;
using System.Text;

namespace Pipeline.Core.Validation;

/// <summary>
/// The one way a submitter's own text (a value, a column name, a JSON key, a file name) is repeated back in a receipt, a
/// stored validation issue, an email or a terminal: personal identifiers masked (<see cref="PersonalData.Mask"/>) and
/// control characters shown as <c>U+001B</c>, so a hostile name can neither leak an identifier nor drive a terminal.
/// </summary>
public static class SubmitterText
{
    public static string Echo(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ShowControls(PersonalData.Mask(text));
    }

    /// <summary>The envelope's <c>submitted_by</c>: the receipt's own address stays readable; anything else is masked.</summary>
    public static string EchoSender(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ShowControls(PersonalData.Mask(text, maskEmails: false));
    }

    public static string? EchoOrNull(string? text) => text is null ? null : Echo(text);

    /// <summary>Control characters (and the Unicode line/paragraph separators) written as <c>U+XXXX</c>.</summary>
    public static string ShowControls(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(IsHostile))
        {
            return text;
        }

        var shown = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            shown.Append(IsHostile(c) ? "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) : c.ToString());
        }

        return shown.ToString();
    }

    /// <summary>The first control character in <paramref name="text"/>, if any, with its position (0-based).</summary>
    public static (char Character, int Index)? FirstControl(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            if (IsHostile(text[i]))
            {
                return (text[i], i);
            }
        }

        return null;
    }

    private static bool IsHostile(char c) => char.IsControl(c) || c is '\u2028' or '\u2029' or '\u202E';
}
