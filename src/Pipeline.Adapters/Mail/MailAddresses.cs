using MimeKit;

namespace Pipeline.Adapters.Mail;

/// <summary>
/// The mailer's own judgement of an address, so validation accepts exactly the <c>submitted_by</c> values a receipt can be
/// sent to: MimeKit must read it as one mailbox with no display name, the same text back, with a dotted domain.
/// </summary>
public static class MailAddresses
{
    public static bool IsDeliverable(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Length is 0 or > 254 || address.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '"' or ',' or ';' or '(' or ')'))
        {
            return false;
        }

        var options = ParserOptions.Default.Clone();
        options.AddressParserComplianceMode = RfcComplianceMode.Strict;
        options.AllowAddressesWithoutDomain = false;
        return MailboxAddress.TryParse(options, address, out var mailbox)
               && string.IsNullOrEmpty(mailbox.Name)
               && string.Equals(mailbox.Address, address, StringComparison.Ordinal)
               && mailbox.Domain.Contains('.', StringComparison.Ordinal)
               && !mailbox.Domain.StartsWith('.')
               && !mailbox.Domain.EndsWith('.');
    }
}
