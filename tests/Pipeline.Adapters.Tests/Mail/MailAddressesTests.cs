using Pipeline.Adapters.Mail;

namespace Pipeline.Adapters.Tests.Mail;

/// <summary>The receipt address rule is MimeKit's own reading of the address, so what validation accepts the mailer can send to.</summary>
public sealed class MailAddressesTests
{
    [Theory]
    [InlineData("analyst@nhs.net")]
    [InlineData("first.last@nhs.net")]
    [InlineData("a.b-c+equity@trust.nhs.uk")]
    public void Plain_addresses_are_deliverable(string address) => Assert.True(MailAddresses.IsDeliverable(address));

    [Theory]
    [InlineData("<script>alert(1)</script>@nhs.net")]
    [InlineData("<script>x@nhs.net")]
    [InlineData("Jane Doe <jane@nhs.net>")]
    [InlineData("jane@nhs.net, bob@nhs.net")]
    [InlineData("jane@nhs.net;bob@nhs.net")]
    [InlineData("\"jane doe\"@nhs.net")]
    [InlineData("jane@localhost")]
    [InlineData("jane@nhs.net\r\nBcc: all@nhs.net")]
    [InlineData("jane@@nhs.net")]
    [InlineData("jane@.nhs.net")]
    public void Addresses_the_mailer_would_refuse_or_misread_are_not(string address) => Assert.False(MailAddresses.IsDeliverable(address));
}
