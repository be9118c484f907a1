using MailKit.Net.Smtp;
using MailKit.Security;
using Pipeline.Core.Notifications;

namespace Pipeline.Adapters.Mail;

/// <summary>
/// Sends through an SMTP server with MailKit: TLS or STARTTLS as configured (the server's certificate trusted by the
/// system store or by <see cref="MailOptions.TrustedCertificates"/>), basic auth or XOAUTH2, timeouts. One
/// connection per message keeps failure handling simple; monthly volumes are a few dozen emails.
/// </summary>
public sealed class SmtpMailTransport(MailOptions options) : IMailTransport
{
    public async Task SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        var host = options.SmtpHost ?? throw new InvalidOperationException("Pipeline:Mail:SmtpHost is not set; use the .eml transport instead.");
        var message = NotificationMime.Build(notification, options);
        using var client = new SmtpClient { Timeout = (int)options.Timeout.TotalMilliseconds };
        if (options.TrustedCertificates is { } trusted)
        {
            // Without it MailKit's default applies: the system trust store only.
            client.ServerCertificateValidationCallback = TrustedCertificateValidation.For(trusted);
        }

        await client.ConnectAsync(host, options.SmtpPort, Secure(options.Security), cancellationToken).ConfigureAwait(false);
        if (options.OAuth2AccessToken is { } tokenSource)
        {
            var token = await tokenSource(cancellationToken).ConfigureAwait(false);
            await client.AuthenticateAsync(new SaslMechanismOAuth2(options.UserName ?? options.FromAddress, token), cancellationToken).ConfigureAwait(false);
        }
        else if (!string.IsNullOrEmpty(options.UserName))
        {
            await client.AuthenticateAsync(options.UserName, options.Password ?? string.Empty, cancellationToken).ConfigureAwait(false);
        }

        await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
        await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
    }

    private static SecureSocketOptions Secure(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };
}
