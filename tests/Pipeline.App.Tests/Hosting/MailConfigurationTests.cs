using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pipeline.Adapters.Mail;
using Pipeline.Adapters.Notifications;
using Pipeline.App.Hosting;
using Pipeline.App.Notifications;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Hosting;

public class MailConfigurationTests
{
    private static IConfiguration Config(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    [Fact]
    public void Without_an_smtp_host_mail_goes_to_eml_files_in_the_data_directorys_outbox()
    {
        var options = MailConfiguration.Read(Config(new() { ["Pipeline:DataDirectory"] = "/srv/pipeline" }));

        Assert.Null(options.SmtpHost);
        Assert.Equal(Path.Combine("/srv/pipeline", "outbox"), options.OutboxDirectory);
        Assert.IsType<EmlFileMailTransport>(MailTransports.FromOptions(options));
    }

    [Fact]
    public void Smtp_settings_are_read_with_their_types()
    {
        var options = MailConfiguration.Read(Config(new()
        {
            ["Pipeline:Mail:SmtpHost"] = "smtp.office365.com",
            ["Pipeline:Mail:SmtpPort"] = "465",
            ["Pipeline:Mail:Security"] = "sslonconnect",
            ["Pipeline:Mail:UserName"] = "equity@region.nhs.uk",
            ["Pipeline:Mail:Password"] = "from-key-vault",
            ["Pipeline:Mail:TimeoutSeconds"] = "12",
            ["Pipeline:Mail:FromAddress"] = "equity@region.nhs.uk",
            ["Pipeline:Mail:MessageIdDomain"] = "equity.region.nhs.uk",
        }));

        Assert.Equal(("smtp.office365.com", 465, SmtpSecurity.SslOnConnect, TimeSpan.FromSeconds(12), "equity.region.nhs.uk"),
            (options.SmtpHost, options.SmtpPort, options.Security, options.Timeout, options.MessageIdDomain));
        Assert.Null(options.OAuth2AccessToken);
        Assert.IsType<SmtpMailTransport>(MailTransports.FromOptions(options));
    }

    [Fact]
    public void An_oauth2_scope_switches_authentication_to_xoauth2_tokens()
    {
        var options = MailConfiguration.Read(Config(new()
        {
            ["Pipeline:Mail:SmtpHost"] = "smtp.office365.com",
            ["Pipeline:Mail:OAuth2Scope"] = "https://outlook.office365.com/.default",
            ["Pipeline:Mail:ManagedIdentityClientId"] = "00000000-0000-0000-0000-000000000001",
        }));

        Assert.NotNull(options.OAuth2AccessToken);
    }

    [Theory]
    [InlineData("SmtpPort", "smtp", "Pipeline:Mail:SmtpPort is 'smtp'")]
    [InlineData("SmtpPort", "70000", "use a TCP port number")]
    [InlineData("Security", "tls1.3", "Pipeline:Mail:Security is 'tls1.3': use StartTls, SslOnConnect, Auto or None")]
    [InlineData("TimeoutSeconds", "0", "Pipeline:Mail:TimeoutSeconds is '0'")]
    [InlineData("FromAddress", "nobody", "Pipeline:Mail:FromAddress is 'nobody'")]
    public void A_bad_setting_fails_at_start_naming_the_key_and_the_fix(string key, string value, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => MailConfiguration.Read(Config(new() { [$"Pipeline:Mail:{key}"] = value })));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_trusted_certificate_file_only_the_system_trust_store_is_used()
    {
        var options = MailConfiguration.Read(Config(new() { ["Pipeline:Mail:SmtpHost"] = "relay.region.nhs.uk" }));

        Assert.Null(options.TrustedCertificates);
        Assert.Contains("TrustedCertificates = system store only", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_trusted_certificate_file_is_read_as_pem_certificates_and_never_its_private_key()
    {
        using var relay = TestCertificate.SelfSigned("relay.region.nhs.uk");
        var bundle = Path.Combine(relay.Directory, "bundle.pem");
        File.WriteAllText(bundle, File.ReadAllText(relay.KeyPath) + "\n" + File.ReadAllText(relay.CertificatePath));

        var options = MailConfiguration.Read(Config(new()
        {
            ["Pipeline:Mail:SmtpHost"] = "relay.region.nhs.uk",
            ["Pipeline:Mail:TrustedCertificateFile"] = bundle,
        }));

        var trusted = Assert.Single(options.TrustedCertificates!);
        Assert.Equal(relay.Certificate.Thumbprint, trusted.Thumbprint);
        Assert.False(trusted.HasPrivateKey);
        Assert.Contains($"CN=relay.region.nhs.uk ({relay.Certificate.Thumbprint})", options.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing", "which does not exist")]
    [InlineData("not-pem", "which holds no PEM certificate")]
    [InlineData("key-only", "which holds no PEM certificate")]
    [InlineData("corrupt", "which could not be read as PEM certificates")]
    public void A_bad_trusted_certificate_file_fails_at_start_naming_the_key_and_the_fix(string kind, string problem)
    {
        using var relay = TestCertificate.SelfSigned();
        var path = Path.Combine(relay.Directory, $"{kind}.pem");
        switch (kind)
        {
            case "not-pem":
                File.WriteAllBytes(path, relay.Certificate.RawData);
                break;
            case "key-only":
                File.Copy(relay.KeyPath, path);
                break;
            case "corrupt":
                File.WriteAllText(path, "-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
                break;
        }

        var error = Assert.Throws<OptionsValidationException>(() => MailConfiguration.Read(Config(new() { ["Pipeline:Mail:TrustedCertificateFile"] = path })));

        Assert.Contains($"Pipeline:Mail:TrustedCertificateFile is '{path}', {problem}", error.Message, StringComparison.Ordinal);
        Assert.Contains("put the relay's certificate, or the certificate of the CA that issued it, in that file as PEM", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hosts_notification_pump_is_the_dispatcher_and_drains_every_due_batch()
    {
        var directory = Directory.CreateTempSubdirectory("pipeline-pump-").FullName;
        try
        {
            var outbox = new InMemoryNotificationOutbox();
            var services = new ServiceCollection()
                .AddLogging()
                .AddSingleton<INotificationOutbox>(outbox)
                .AddPipelineNotifications(Config(new() { ["Pipeline:Mail:OutboxDirectory"] = directory }))
                .Replace(ServiceDescriptor.Singleton(sp => new NotificationDispatcher(
                    outbox, sp.GetRequiredService<IMailTransport>(), TimeProvider.System, NullLogger<NotificationDispatcher>.Instance) { BatchSize = 2 }))
                .BuildServiceProvider();
            foreach (var id in new[] { "a", "b", "c", "d", "e" })
            {
                await outbox.AddAsync(Adapters.Tests.Notifications.SampleNotifications.Alert(id), TestContext.Current.CancellationToken);
            }

            await services.GetRequiredService<INotificationPump>().DispatchPendingAsync(TestContext.Current.CancellationToken);

            Assert.Equal(5, Directory.GetFiles(directory, "*.eml").Length);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
