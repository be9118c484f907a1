using System.Text.RegularExpressions;

namespace Pipeline.Core.Validation;

/// <summary>
/// Recognises values that look like patient identifiers, and masks them so a report never repeats them in full.
/// A submission is aggregate counts only, so any such value is a mistake (usually a paste from a record-level extract).
/// </summary>
public static partial class PersonalData
{
    /// <summary>10 digits, optionally grouped 3-3-4 with spaces or dashes, as NHS numbers are written.</summary>
    [GeneratedRegex(@"^\s*(\d{3})[ -]?(\d{3})[ -]?(\d{4})\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex NhsNumberShape();

    /// <summary>A UK postcode: outward code (area letters, district digit, optional letter/digit), optional space, inward code.</summary>
    [GeneratedRegex(@"^\s*([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex PostcodeShape();

    /// <summary>Any run of 10 digits (with optional 3-3-4 separators) inside a longer text, masked whatever its check digit.</summary>
    [GeneratedRegex(@"(?<!\d)(\d{3})([ -]?)(\d{3})([ -]?)(\d{4})(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex TenDigitsInside();

    [GeneratedRegex(@"\b([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex PostcodeInside();

    /// <summary>An email address inside a text: its first character and domain are kept (<c>j***@nhs.net</c>).</summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9._%+-])([A-Za-z0-9])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)", RegexOptions.CultureInvariant)]
    private static partial Regex EmailInside();

    /// <summary>True when the value is an NHS number: 10 digits whose modulus-11 check digit is valid.</summary>
    public static bool IsNhsNumber(string? value)
    {
        if (value is null || CountDigits(value, ascii: false) < 10)
        {
            // Ten \d (any script's decimal digits, as char.IsDigit counts them) are needed: most values are turned away here.
            return false;
        }

        var match = NhsNumberShape().Match(value);
        if (!match.Success)
        {
            return false;
        }

        var digits = string.Concat(match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value);
        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += (digits[i] - '0') * (10 - i);
        }

        var check = 11 - (sum % 11);
        if (check == 11)
        {
            check = 0;
        }

        // A remainder giving 10 has no valid check digit: such numbers are never issued.
        return check != 10 && check == digits[9] - '0';
    }

    /// <remarks>
    /// Two ASCII digits and something that is not one (the letters) are needed before the pattern is worth running: counts,
    /// codes and group numbers, every cell of every row, are turned away without it.
    /// </remarks>
    public static bool IsPostcode(string? value) =>
        value is not null && CountDigits(value, ascii: true) is var digits && digits >= 2 && digits < value.Length
        && PostcodeShape().IsMatch(value);

    private static int CountDigits(string value, bool ascii)
    {
        var count = 0;
        foreach (var c in value)
        {
            count += (ascii ? char.IsAsciiDigit(c) : char.IsDigit(c)) ? 1 : 0;
        }

        return count;
    }

    /// <summary>
    /// The value with anything identifier-like hidden: 10-digit runs keep their first 3 digits (<c>943*******</c>),
    /// postcodes keep their outward code (<c>SW1A ***</c>), email addresses their first character and domain
    /// (<c>j***@nhs.net</c>). Applied to every value a report echoes (the envelope's <c>submitted_by</c> excepted: it is
    /// where the receipt goes).
    /// </summary>
    public static string Mask(string value, bool maskEmails = true)
    {
        ArgumentNullException.ThrowIfNull(value);
        var masked = maskEmails ? EmailInside().Replace(value, m => m.Groups[1].Value + "***@" + m.Groups[2].Value) : value;
        masked = TenDigitsInside().Replace(masked, m => m.Groups[1].Value + "*******");
        return PostcodeInside().Replace(masked, m => m.Groups[1].Value + " ***");
    }
}
