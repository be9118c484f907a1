using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Adapters.Mail;
using Pipeline.Adapters.Notifications;
using Pipeline.App.Notifications;

namespace Pipeline.App.Hosting;

/// <summary>
/// Reads <c>Pipeline:Mail</c> into <see cref="MailOptions"/>. No <c>SmtpHost</c> → <c>.eml</c> files under
/// <c>{Pipeline:DataDirectory}/outbox</c>. <c>OAuth2Scope</c> (e.g. <c>https://outlook.office365.com/.default</c>) →
/// XOAUTH2 with a token from the managed identity (<c>ManagedIdentityClientId</c>) or the default Azure credential chain;
/// otherwise <c>UserName</c>/<c>Password</c> basic auth when a user name is set. <c>TrustedCertificateFile</c> (a PEM
/// certificate: the relay's own or its issuing CA) is trusted in addition to the system store. Bad values fail at start
/// naming the key.
/// </summary>
public static class MailConfiguration
{
    public const string Section = "Pipeline:Mail";

    /// <summary>Every key read under <see cref="Section"/>; any other key there is refused at start (a misspelt setting would otherwise be ignored).</summary>
    public static IReadOnlyList<string> Keys { get; } =
    [
        "SmtpHost", "SmtpPort", "Security", "TimeoutSeconds", "UserName", "Password", "OAuth2Scope", "ManagedIdentityClientId",
        "TrustedCertificateFile", "FromAddress", "FromName", "MessageIdDomain", "OutboxDirectory",
    ];

    public static MailOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var mail = configuration.GetSection(Section);
        if (mail.GetChildren().FirstOrDefault(c => !Keys.Contains(c.Key, StringComparer.OrdinalIgnoreCase)) is { } unknown)
        {
            throw Invalid($"{Section}:{unknown.Key} is not a mail setting: use one of {string.Join(", ", Keys)} (environment variables spell them Pipeline__Mail__FromAddress and so on).");
        }

        string? Setting(string key) => !Keys.Contains(key) ? throw new ArgumentException($"'{key}' is not in {nameof(Keys)}.", nameof(key))
            : string.IsNullOrWhiteSpace(mail[key]) ? null : mail[key]!.Trim();
        var defaults = new MailOptions();
        var dataDirectory = string.IsNullOrWhiteSpace(configuration[StorageConfiguration.DataDirectoryKey])
            ? StorageConfiguration.DefaultDataDirectory
            : configuration[StorageConfiguration.DataDirectoryKey]!.Trim();

        var port = Setting("SmtpPort") is { } p
            ? int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and < 65536 ? n
                : throw Invalid($"{Section}:SmtpPort is '{p}': use a TCP port number such as 587 (STARTTLS) or 465 (TLS).")
            : defaults.SmtpPort;
        var security = Setting("Security") is { } s
            ? Enum.TryParse<SmtpSecurity>(s, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed
                : throw Invalid($"{Section}:Security is '{s}': use StartTls, SslOnConnect, Auto or None.")
            : defaults.Security;
        var timeout = Setting("TimeoutSeconds") is { } t
            ? int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds)
                : throw Invalid($"{Section}:TimeoutSeconds is '{t}': use a whole number of seconds, e.g. 30.")
            : defaults.Timeout;
        var from = Setting("FromAddress") ?? defaults.FromAddress;
        if (!from.Contains('@', StringComparison.Ordinal))
        {
            throw Invalid($"{Section}:FromAddress is '{from}': use the mailbox the pipeline sends as, e.g. maternity-equity@region.nhs.uk.");
        }

        return new MailOptions
        {
            SmtpHost = Setting("SmtpHost"),
            SmtpPort = port,
            Security = security,
            UserName = Setting("UserName"),
            Password = Setting("Password"),
            TrustedCertificates = Setting("TrustedCertificateFile") is { } file ? TrustedCertificates(file) : null,
            OAuth2AccessToken = Setting("OAuth2Scope") is { } scope ? TokenSource(scope, Setting("ManagedIdentityClientId")) : null,
            Timeout = timeout,
            FromAddress = from,
            FromName = Setting("FromName") ?? defaults.FromName,
            MessageIdDomain = Setting("MessageIdDomain") ?? defaults.MessageIdDomain,
            OutboxDirectory = Setting("OutboxDirectory") ?? Path.Combine(dataDirectory, "outbox"),
        };
    }

    /// <summary>
    /// Registers the mail transport and the dispatcher as the hosts' <see cref="INotificationPump"/>. The outbox itself
    /// (<see cref="INotificationOutbox"/>) is the store's: register it with the SQL store.
    /// </summary>
    public static IServiceCollection AddPipelineNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = Read(configuration);
        services.TryAddSingleton(options);
        services.TryAddSingleton(MailTransports.FromOptions(options));
        services.TryAddSingleton(sp => new NotificationDispatcher(
            sp.GetRequiredService<INotificationOutbox>(),
            sp.GetRequiredService<IMailTransport>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<NotificationDispatcher>>()));
        services.TryAddSingleton<INotificationPump>(sp => sp.GetRequiredService<NotificationDispatcher>());
        return services;
    }

    private static Func<CancellationToken, ValueTask<string>> TokenSource(string scope, string? managedIdentityClientId)
    {
        TokenCredential credential = managedIdentityClientId is null
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(managedIdentityClientId));
        return async ct => (await credential.GetTokenAsync(new TokenRequestContext([scope]), ct).ConfigureAwait(false)).Token;
    }

    private static X509Certificate2Collection TrustedCertificates(string path)
    {
        const string Key = Section + ":TrustedCertificateFile";
        const string Fix = "put the relay's certificate, or the certificate of the CA that issued it, in that file as PEM "
            + "(-----BEGIN CERTIFICATE-----; convert a DER .cer with `openssl x509 -inform der -in relay.cer -out relay.pem`), "
            + "or remove the setting to trust only the system store";
        // A relative path is looked up in the working directory (the CLI), then beside the app's own files (a Functions
        // deployment, whose working directory is not the app folder).
        var full = Path.GetFullPath(path);
        if (!File.Exists(full) && !Path.IsPathRooted(path) && Path.Combine(AppContext.BaseDirectory, path) is var besideApp && File.Exists(besideApp))
        {
            full = besideApp;
        }

        if (!File.Exists(full))
        {
            throw Invalid($"{Key} is '{path}', which does not exist ({full}): {Fix}.");
        }

        X509Certificate2Collection certificates;
        try
        {
            certificates = TrustedCertificateValidation.LoadPem(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw Invalid($"{Key} is '{path}', which could not be read as PEM certificates ({ex.GetType().Name}: {ex.Message}): {Fix}.");
        }

        return certificates.Count > 0 ? certificates
            : throw Invalid($"{Key} is '{path}', which holds no PEM certificate: {Fix}.");
    }

    private static OptionsValidationException Invalid(string message) => new(Section, typeof(MailOptions), [message]);
}
