using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Adapters.Mail;
using Pipeline.Adapters.Notifications;
using Pipeline.App.Notifications;
using Pipeline.Core.Model;
using Pipeline.Core.Notifications;
using Pipeline.Core.Rendering;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Notifications;

/// <summary>
/// Implicit TLS (<see cref="SmtpSecurity.SslOnConnect"/>) against a real MailDev started with <c>--incoming-secure</c>, a
/// certificate made in the test (not in the machine's trust store, like an on-premises relay's) and basic auth
/// (<c>--incoming-user/--incoming-pass</c>). The relay is trusted only through <see cref="MailOptions.TrustedCertificates"/>,
/// loaded as in production from <c>Pipeline:Mail:TrustedCertificateFile</c>.
/// </summary>
public sealed class SmtpTlsTests : IAsyncLifetime, IDisposable
{
    private const string User = "pipeline";
    private const string Password = "correct horse battery staple";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 3, 7, 0, 0, TimeSpan.Zero));
    private readonly InMemoryNotificationOutbox _outbox = new();
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
        var receipt = await EnqueueReceiptAsync();

        var result = await Dispatcher(mailDev, Password, _relayCertificate.CertificatePath).DispatchDueAsync(Ct);

        Assert.Equal(1, result.Sent);
        var mail = Assert.Single(await mailDev.EmailsAsync(Ct));
        Assert.Equal("Submission rejected: R0A 2026-10 (r0a-2026-10.csv)", mail.GetProperty("subject").GetString());
        Assert.Equal("analyst@mft.example", mail.GetProperty("to")[0].GetProperty("address").GetString());
        Assert.Equal(NotificationStatus.Sent, (await _outbox.FindAsync(receipt.Id, Ct))!.Status);
    }

    [Fact]
    public async Task Without_the_trusted_certificate_the_send_fails_on_the_certificate_stays_pending_and_goes_once_after_the_fix()
    {
        var mailDev = Start();
        var receipt = await EnqueueReceiptAsync();

        var refused = await Dispatcher(mailDev, Password, trustedCertificateFile: null).DispatchDueAsync(Ct);

        Assert.Equal((0, 1, 0), (refused.Sent, refused.Retrying, refused.GaveUp));
        var row = (await _outbox.FindAsync(receipt.Id, Ct))!;
        Assert.Equal((NotificationStatus.Pending, 1), (row.Status, row.Attempts));
        Assert.StartsWith("SslHandshakeException", row.LastError, StringComparison.Ordinal);
        Assert.Contains("The server's SSL certificate could not be validated", row.LastError, StringComparison.Ordinal);
        Assert.Empty(await mailDev.EmailsAsync(Ct));

        // The operator adds Pipeline:Mail:TrustedCertificateFile; the retry (after its back-off) sends it, once.
        var fixedDispatcher = Dispatcher(mailDev, Password, _relayCertificate.CertificatePath);
        Assert.Equal(0, (await fixedDispatcher.DispatchDueAsync(Ct)).Attempted);
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, (await fixedDispatcher.DispatchDueAsync(Ct)).Sent);
        _time.Advance(TimeSpan.FromHours(3));
        Assert.Equal(0, (await fixedDispatcher.DispatchDueAsync(Ct)).Attempted);

        var mail = Assert.Single(await mailDev.EmailsAsync(Ct));
        Assert.Equal("Submission rejected: R0A 2026-10 (r0a-2026-10.csv)", mail.GetProperty("subject").GetString());
        Assert.Equal(NotificationStatus.Sent, (await _outbox.FindAsync(receipt.Id, Ct))!.Status);
    }

    [Fact]
    public async Task A_wrong_password_over_tls_is_recorded_as_an_authentication_failure_and_stays_pending()
    {
        var mailDev = Start();
        var receipt = await EnqueueReceiptAsync();

        var result = await Dispatcher(mailDev, "wrong", _relayCertificate.CertificatePath).DispatchDueAsync(Ct);

        Assert.Equal(1, result.Retrying);
        var row = (await _outbox.FindAsync(receipt.Id, Ct))!;
        Assert.Equal(NotificationStatus.Pending, row.Status);
        Assert.StartsWith("AuthenticationException", row.LastError, StringComparison.Ordinal);
        Assert.Empty(await mailDev.EmailsAsync(Ct));
    }

    [Fact]
    public async Task Trusting_some_other_certificate_does_not_make_the_relays_certificate_trusted()
    {
        var mailDev = Start();
        using var other = TestCertificate.SelfSigned("localhost");
        var receipt = await EnqueueReceiptAsync();

        await Dispatcher(mailDev, Password, other.CertificatePath).DispatchDueAsync(Ct);

        var row = (await _outbox.FindAsync(receipt.Id, Ct))!;
        Assert.Equal(NotificationStatus.Pending, row.Status);
        Assert.StartsWith("SslHandshakeException", row.LastError, StringComparison.Ordinal);
        Assert.Contains("The server's SSL certificate could not be validated", row.LastError, StringComparison.Ordinal);
        Assert.Empty(await mailDev.EmailsAsync(Ct));
    }

    [Fact]
    public async Task A_trusted_certificate_for_another_host_name_is_still_refused()
    {
        Start();
        using var misnamed = TestCertificate.SelfSigned("relay.example");
        var mailDev = await StartSecureMailDevAsync(misnamed);
        var receipt = await EnqueueReceiptAsync();

        await Dispatcher(mailDev, Password, misnamed.CertificatePath).DispatchDueAsync(Ct);

        var row = (await _outbox.FindAsync(receipt.Id, Ct))!;
        Assert.Equal(NotificationStatus.Pending, row.Status);
        Assert.StartsWith("SslHandshakeException", row.LastError, StringComparison.Ordinal);
        Assert.Contains("did not match the name given in the server's SSL certificate (relay.example)", row.LastError, StringComparison.Ordinal);
        Assert.Empty(await mailDev.EmailsAsync(Ct));
    }

    [Fact]
    public async Task A_relay_certificate_issued_by_a_trusted_private_ca_is_accepted()
    {
        Start();
        using var authority = TestCertificate.Authority();
        using var issued = authority.Issue("localhost");
        var mailDev = await StartSecureMailDevAsync(issued);
        var receipt = await EnqueueReceiptAsync();

        var result = await Dispatcher(mailDev, Password, authority.CertificatePath).DispatchDueAsync(Ct);

        Assert.True(result.Sent == 1, (await _outbox.FindAsync(receipt.Id, Ct))!.LastError);
        Assert.Single(await mailDev.EmailsAsync(Ct));
    }

    [Fact]
    public async Task A_private_ca_certificate_naming_a_crl_that_cannot_be_reached_is_refused()
    {
        Start();
        using var authority = TestCertificate.Authority();
        using var issued = authority.Issue("localhost", new Uri($"http://127.0.0.1:{LocalServers.FreePort()}/private-ca.crl"));
        var mailDev = await StartSecureMailDevAsync(issued);
        var receipt = await EnqueueReceiptAsync();

        await Dispatcher(mailDev, Password, authority.CertificatePath).DispatchDueAsync(Ct);

        var row = (await _outbox.FindAsync(receipt.Id, Ct))!;
        Assert.Equal(NotificationStatus.Pending, row.Status);
        Assert.StartsWith("SslHandshakeException", row.LastError, StringComparison.Ordinal);
        Assert.Matches("CRL|[Rr]evocation", row.LastError); // OpenSSL: "unable to get certificate CRL"
        Assert.Empty(await mailDev.EmailsAsync(Ct));
    }

    private MailDevServer Start()
    {
        if (MailDevServer.Unavailable is { } why)
        {
            Assert.Skip(why);
        }

        return _mailDev!;
    }

    private async Task<MailDevServer> StartSecureMailDevAsync(TestCertificate certificate)
    {
        var server = await MailDevServer.StartNewAsync(Ct,
            "--incoming-secure", "--incoming-cert", certificate.CertificatePath, "--incoming-key", certificate.KeyPath,
            "--incoming-user", User, "--incoming-pass", Password);
        _servers.Add(server);
        return server;
    }

    private async Task<Notification> EnqueueReceiptAsync()
    {
        var receipt = new SubmissionReceipt("5b1e", "r0a-2026-10.csv", "R0A", Period.Parse("2026-10"), ReceiptOutcome.Rejected, 2, 0,
            ["E012 line 14, column numerator: 'twelve' is not a whole number."], "reports/R0A/2026-10/5b1e.html");
        var notification = NotificationComposer.ForReceipt(receipt, new Recipient("", "analyst@mft.example"), _time.GetUtcNow());
        await _outbox.AddAsync(notification, Ct);
        return notification;
    }

    private NotificationDispatcher Dispatcher(MailDevServer mailDev, string password, string? trustedCertificateFile) => new(
        _outbox,
        new SmtpMailTransport(new MailOptions
        {
            SmtpHost = "localhost",
            SmtpPort = mailDev.SmtpPort,
            Security = SmtpSecurity.SslOnConnect,
            UserName = User,
            Password = password,
            TrustedCertificates = trustedCertificateFile is null ? null : TrustedCertificateValidation.LoadPem(trustedCertificateFile),
            Timeout = TimeSpan.FromSeconds(5),
        }),
        _time,
        NullLogger<NotificationDispatcher>.Instance);
}
