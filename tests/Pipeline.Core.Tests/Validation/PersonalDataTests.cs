using Pipeline.Core.Reference;
using Pipeline.Core.Validation;

namespace Pipeline.Core.Tests.Validation;

public class PersonalDataTests
{
    [Theory]
    [InlineData("9434765919")] // NHS Digital's published example
    [InlineData("943 476 5919")]
    [InlineData("943-476-5919")]
    [InlineData(" 4010232137 ")]
    public void Ten_digits_with_a_valid_modulus_11_check_digit_are_an_nhs_number(string value) =>
        Assert.True(PersonalData.IsNhsNumber(value));

    [Theory]
    [InlineData("9434765918")] // check digit off by one
    [InlineData("1234567890")] // remainder 10: never issued
    [InlineData("943476591")] // 9 digits
    [InlineData("94347659190")] // 11 digits
    [InlineData("943 4765 919")] // not grouped 3-3-4
    [InlineData("1180")]
    public void Other_numbers_are_not_nhs_numbers(string value) => Assert.False(PersonalData.IsNhsNumber(value));

    [Theory]
    [InlineData("SW1A 1AA")]
    [InlineData("M1 1AE")]
    [InlineData("ls14ap")]
    [InlineData("B33 8TH")]
    [InlineData("CR2 6XH")]
    [InlineData("DN55 1PT")]
    public void Uk_postcodes_are_recognised(string value) => Assert.True(PersonalData.IsPostcode(value));

    [Theory]
    [InlineData("all")]
    [InlineData("R0A")]
    [InlineData("99")]
    [InlineData("stillbirth")]
    [InlineData("2026-10")]
    public void Contract_values_are_not_postcodes(string value) => Assert.False(PersonalData.IsPostcode(value));

    [Fact]
    public void No_reference_code_looks_like_personal_data()
    {
        var reference = ReferenceData.Embedded;
        var codes = reference.Trusts.Select(t => t.Code).Concat(reference.Indicators.Select(i => i.Code)).Concat(reference.EthnicCategories.Select(e => e.Code));

        Assert.DoesNotContain(codes, c => PersonalData.IsPostcode(c) || PersonalData.IsNhsNumber(c));
    }

    [Theory]
    [InlineData("9434765919", "943*******")]
    [InlineData("943 476 5919", "943*******")]
    [InlineData("patient 943-476-5919 born", "patient 943******* born")]
    [InlineData("SW1A 1AA", "SW1A ***")]
    [InlineData("lives at ls1 4ap", "lives at ls1 ***")]
    [InlineData("12.5%", "12.5%")]
    public void Masking_hides_all_but_the_start(string value, string masked) => Assert.Equal(masked, PersonalData.Mask(value));
}
