using System.Security.Cryptography.X509Certificates;

namespace Pipeline.Adapters.Mail;

/// <summary>How the SMTP connection is secured (MailKit's SecureSocketOptions, named for configuration).</summary>
public enum SmtpSecurity
{
    /// <summary>Plain SMTP (only for a local test server such as MailDev).</summary>
    None,

    /// <summary>Connect in plain text, then upgrade with STARTTLS; fails if the server does not offer it. Port 587.</summary>
    StartTls,

    /// <summary>TLS from the first byte (implicit TLS). Port 465.</summary>
    SslOnConnect,

    /// <summary>TLS on port 465, STARTTLS when offered elsewhere, else plain.</summary>
    Auto,
}

/// <summary>
/// Mail settings (<c>Pipeline:Mail</c>). With no <see cref="SmtpHost"/> the pipeline writes <c>.eml</c> files to
/// <see cref="OutboxDirectory"/> instead of sending. Credentials come from configuration backed by a secret store; an
/// OAuth2 access token (XOAUTH2, e.g. Microsoft 365) is fetched per connection through <see cref="OAuth2AccessToken"/>.
/// </summary>
public sealed record MailOptions
{
    public string? SmtpHost { get; init; }

    /// <summary>Default 587 (submission with STARTTLS).</summary>
    public int SmtpPort { get; init; } = 587;

    /// <summary>Default <see cref="SmtpSecurity.StartTls"/>.</summary>
    public SmtpSecurity Security { get; init; } = SmtpSecurity.StartTls;

    /// <summary>User name for basic auth, and the account named in XOAUTH2.</summary>
    public string? UserName { get; init; }

    public string? Password { get; init; }

    /// <summary>When set, authenticate with XOAUTH2 using the token it returns (instead of the password).</summary>
    public Func<CancellationToken, ValueTask<string>>? OAuth2AccessToken { get; init; }

    /// <summary>
    /// Certificates trusted in addition to the system store when validating the server's certificate (the relay's own
    /// self-signed certificate, or the private CA that issued it), read from <c>Pipeline:Mail:TrustedCertificateFile</c>.
    /// Null (the default): only the system trust store. See <see cref="TrustedCertificateValidation"/>.
    /// </summary>
    public X509Certificate2Collection? TrustedCertificates { get; init; }

    /// <summary>Connect, command and send timeout. Default 30 seconds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public string FromAddress { get; init; } = "maternity-equity@localhost";

    public string FromName { get; init; } = "Maternity equity pipeline";

    /// <summary>The right-hand side of every Message-Id (<c>&lt;{notification id}@{domain}&gt;</c>).</summary>
    public string MessageIdDomain { get; init; } = "maternity-equity.pipeline";

    /// <summary>Where <see cref="EmlFileMailTransport"/> writes when no SMTP host is configured. Default <c>outbox</c>.</summary>
    public string OutboxDirectory { get; init; } = "outbox";

    // A record prints every property; the password (and the token source) are never printed, so logging the options is safe.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("SmtpHost = ").Append(SmtpHost)
            .Append(", SmtpPort = ").Append(SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Append(", Security = ").Append(Security)
            .Append(", UserName = ").Append(UserName)
            .Append(", Password = ").Append(Password is null ? "null" : "(set, not shown)")
            .Append(", TrustedCertificates = ").Append(TrustedCertificates is null ? "system store only"
                : string.Join("; ", TrustedCertificates.Select(c => $"{c.Subject} ({c.Thumbprint})")))
            .Append(", OAuth2 = ").Append(OAuth2AccessToken is null ? "no" : "yes")
            .Append(", FromAddress = ").Append(FromAddress)
            .Append(", OutboxDirectory = ").Append(OutboxDirectory);
        return true;
    }
}
