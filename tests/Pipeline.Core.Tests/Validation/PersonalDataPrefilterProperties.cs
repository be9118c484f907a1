using System.Text.RegularExpressions;
using CsCheck;
using Pipeline.Core.Validation;

namespace Pipeline.Core.Tests.Validation;

/// <summary>
/// Every cell is checked for NHS numbers and postcodes; a digit count now turns most cells away before the patterns run
/// (#18). On random text near both shapes (any script's digits, the Kelvin sign, spaces and dashes), the answers must be
/// what the patterns alone gave.
/// </summary>
public class PersonalDataPrefilterProperties
{
    private static readonly Regex NhsShape = new(@"^\s*(\d{3})[ -]?(\d{3})[ -]?(\d{4})\s*$", RegexOptions.CultureInvariant);

    private static readonly Regex PostcodeShape =
        new(@"^\s*([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private static readonly char[] Alphabet =
        ['0', '1', '4', '9', '\u0663', '\u096A', ' ', '-', '\t', 'A', 's', 'W', 'k', '\u212A', 'z', '.'];

    private static readonly Gen<string> Text = Gen.Int[0, Alphabet.Length - 1].Array[0, 14]
        .Select(chars => new string([.. chars.Select(c => Alphabet[c])]));

    [Fact]
    public void Postcode_answers_are_the_patterns_answers()
    {
        Text.Sample(text => PersonalData.IsPostcode(text) == PostcodeShape.IsMatch(text), iter: 50_000);
        Assert.True(PersonalData.IsPostcode("SW1A 1AA") && PersonalData.IsPostcode("\u212A1 1AA"));
    }

    private static readonly char[] Digits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '\u0663', 'x'];

    private static readonly string[] Separators = [string.Empty, " ", "-", "  ", "\t"];

    /// <summary>Ten-digit shapes, grouped 3-3-4 or not, with any script's digits, sometimes a character too many or too few.</summary>
    private static readonly Gen<string> NhsLike =
        Gen.Select(Gen.Int[0, Digits.Length - 1].Array[9, 11], Gen.Int[0, Separators.Length - 1].Array[4])
            .Select(x =>
            {
                var (digits, separators) = x;
                var text = new string([.. digits.Select(d => Digits[d])]);
                return text.Length < 7 ? text
                    : Separators[separators[0]] + text[..3] + Separators[separators[1]] + text[3..6] + Separators[separators[2]] + text[6..]
                        + Separators[separators[3]];
            });

    [Fact]
    public void Nhs_number_answers_are_the_pattern_and_check_digit_answers()
    {
        NhsLike.Sample(text => PersonalData.IsNhsNumber(text) == ReferenceIsNhsNumber(text), iter: 50_000);
        Text.Sample(text => PersonalData.IsNhsNumber(text) == ReferenceIsNhsNumber(text), iter: 20_000);
        Assert.True(PersonalData.IsNhsNumber(" 943 476 5919 ") && PersonalData.IsNhsNumber("943-476-5919"));
    }

    /// <summary>IsNhsNumber as it was before the digit count (#18).</summary>
    private static bool ReferenceIsNhsNumber(string value)
    {
        var match = NhsShape.Match(value);
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

        return check != 10 && check == digits[9] - '0';
    }
}
