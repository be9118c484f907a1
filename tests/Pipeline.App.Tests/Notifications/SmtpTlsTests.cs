using Pipeline.Adapters.Mail;
using Pipeline.App.Notifications;
using Pipeline.Core.Notifications;
using Pipeline.Tests.Shared;
using static Pipeline.App.Tests.Notifications.SmtpReceiptBed;

namespace Pipeline.App.Tests.Notifications;

/// <summary>
/// Implicit TLS (<see cref="SmtpSecurity.SslOnConnect"/>) against a real MailDev started with <c>--incoming-secure</c>, a
/// certificate made in the test (not in the machine's trust store, like an on-premises relay's) and basic auth
/// (<c>--incoming-user/--incoming-pass</c>). The relay is trusted only through <see cref="MailOptions.TrustedCertificates"/>,
/// loaded as in production from <c>Pipeline:Mail:TrustedCertificateFile</c>.
/// </summary>
public sealed class SmtpTlsTests : IAsyncLifetime, IDisposable
{
    private readonly SmtpReceiptBed _bed = new();
    private readonly TestCertificate _relayCertificate = TestCertificate.SelfSigned("localhost");
    private readonly List<IAsyncDisposable> _servers = [];
    private MailDevServer? _mailDev;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        if (MailDevServer.Unavailable is null)
        {
            _mailDev = await StartSecureMailDevAsync(_relayCertificate);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }

    public void Dispose() => _relayCertificate.Dispose();

    [Fact]
    public async Task With_the_relays_certificate_trusted_the_notification_is_sent_over_implicit_tls_with_basic_auth()
    {
        var mailDev = Start();
        var receipt = await _bed.EnqueueReceiptAsync();

        var result = await Dispatcher(mailDev, Password, _relayCertificate.CertificatePath).DispatchDueAsync(Ct);

        Assert.Equal(1, result.Sent);
        var mail = Assert.Single(await mailDev.EmailsAsync(Ct));
        Assert.Equal(Subject, mail.GetProperty("subject").GetString());
        Assert.Equal("analyst@mft.example", mail.GetProperty("to")[0].GetProperty("address").GetString());
        Assert.Equal(NotificationStatus.Sent, (await _bed.Outbox.FindAsync(receipt.Id, Ct))!.Status);
    }

    [Fact]
    public async Task Without_the_trusted_certificate_the_send_fails_on_the_certificate_stays_pending_and_goes_once_after_the_fix()
    {
        var mailDev = Start();
        var receipt = await _bed.EnqueueReceiptAsync();

        var refused = await Dispatcher(mailDev, Password, trustedCertificateFile: null).DispatchDueAsync(Ct);

        Assert.Equal((0, 1, 0), (refused.Sent, refused.Retrying, refused.GaveUp));
        var row = await _bed.AssertHeldBackAsync(receipt, mailDev, "SslHandshakeException");
        Assert.Equal(1, row.Attempts);
        Assert.Contains("The server's SSL certificate could not be validated", row.LastError, StringComparison.Ordinal);

        // The operator adds Pipeline:Mail:TrustedCertificateFile; the retry (after its back-off) sends it, once.
        var fixedDispatcher = Dispatcher(mailDev, Password, _relayCertificate.CertificatePath);
        Assert.Equal(0, (await fixedDispatcher.DispatchDueAsync(Ct)).Attempted);
        _bed.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, (await fixedDispatcher.DispatchDueAsync(Ct)).Sent);
        _bed.Time.Advance(TimeSpan.FromHours(3));
        Assert.Equal(0, (await fixedDispatcher.DispatchDueAsync(Ct)).Attempted);

        var mail = Assert.Single(await mailDev.EmailsAsync(Ct));
        Assert.Equal(Subject, mail.GetProperty("subject").GetString());
        Assert.Equal(NotificationStatus.Sent, (await _bed.Outbox.FindAsync(receipt.Id, Ct))!.Status);
    }

    [Fact]
    public async Task A_wrong_password_over_tls_is_recorded_as_an_authentication_failure_and_stays_pending()
    {
        var mailDev = Start();
        var receipt = await _bed.EnqueueReceiptAsync();

        var result = await Dispatcher(mailDev, "wrong", _relayCertificate.CertificatePath).DispatchDueAsync(Ct);

        Assert.Equal(1, result.Retrying);
        await _bed.AssertHeldBackAsync(receipt, mailDev, "AuthenticationException");
    }

    [Fact]
    public async Task Trusting_some_other_certificate_does_not_make_the_relays_certificate_trusted()
    {
        var mailDev = Start();
        using var other = TestCertificate.SelfSigned("localhost");
        var receipt = await _bed.EnqueueReceiptAsync();

        await Dispatcher(mailDev, Password, other.CertificatePath).DispatchDueAsync(Ct);

        var row = await _bed.AssertHeldBackAsync(receipt, mailDev, "SslHandshakeException");
        Assert.Contains("The server's SSL certificate could not be validated", row.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trusted_certificate_for_another_host_name_is_still_refused()
    {
        Start();
        using var misnamed = TestCertificate.SelfSigned("relay.example");
        var mailDev = await StartSecureMailDevAsync(misnamed);
        var receipt = await _bed.EnqueueReceiptAsync();

        await Dispatcher(mailDev, Password, misnamed.CertificatePath).DispatchDueAsync(Ct);

        var row = await _bed.AssertHeldBackAsync(receipt, mailDev, "SslHandshakeException");
        Assert.Contains("did not match the name given in the server's SSL certificate (relay.example)", row.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_relay_certificate_issued_by_a_trusted_private_ca_is_accepted()
    {
        Start();
        using var authority = TestCertificate.Authority();
        using var issued = authority.Issue("localhost");
        var mailDev = await StartSecureMailDevAsync(issued);
        var receipt = await _bed.EnqueueReceiptAsync();

        var result = await Dispatcher(mailDev, Password, authority.CertificatePath).DispatchDueAsync(Ct);

        Assert.True(result.Sent == 1, (await _bed.Outbox.FindAsync(receipt.Id, Ct))!.LastError);
        Assert.Single(await mailDev.EmailsAsync(Ct));
    }

    [Fact]
    public async Task A_private_ca_certificate_naming_a_crl_that_cannot_be_reached_is_refused()
    {
        Start();
        using var authority = TestCertificate.Authority();
        using var issued = authority.Issue("localhost", new Uri($"http://127.0.0.1:{LocalServers.FreePort()}/private-ca.crl"));
        var mailDev = await StartSecureMailDevAsync(issued);
        var receipt = await _bed.EnqueueReceiptAsync();

        await Dispatcher(mailDev, Password, authority.CertificatePath).DispatchDueAsync(Ct);

        var row = await _bed.AssertHeldBackAsync(receipt, mailDev, "SslHandshakeException");
        Assert.Matches("CRL|[Rr]evocation", row.LastError); // OpenSSL: "unable to get certificate CRL"
    }

    private MailDevServer Start() => Require(_mailDev);

    private async Task<MailDevServer> StartSecureMailDevAsync(TestCertificate certificate)
    {
        var server = await MailDevServer.StartNewAsync(Ct,
            "--incoming-secure", "--incoming-cert", certificate.CertificatePath, "--incoming-key", certificate.KeyPath,
            "--incoming-user", User, "--incoming-pass", Password);
        _servers.Add(server);
        return server;
    }

    private NotificationDispatcher Dispatcher(MailDevServer mailDev, string password, string? trustedCertificateFile) => _bed.Dispatcher(
        new MailOptions
        {
            SmtpHost = "localhost",
            SmtpPort = mailDev.SmtpPort,
            Security = SmtpSecurity.SslOnConnect,
            TrustedCertificates = trustedCertificateFile is null ? null : TrustedCertificateValidation.LoadPem(trustedCertificateFile),
        },
        password);
}
