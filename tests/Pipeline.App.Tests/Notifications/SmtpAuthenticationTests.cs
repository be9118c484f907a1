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

/// <summary>SMTP basic authentication against a MailDev that requires it (<c>--incoming-user/--incoming-pass</c>).</summary>
public sealed class SmtpAuthenticationTests : IAsyncLifetime
{
    private const string User = "pipeline";
    private const string Password = "correct horse battery staple";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 3, 7, 0, 0, TimeSpan.Zero));
    private readonly InMemoryNotificationOutbox _outbox = new();
    private MailDevServer? _mailDev;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        if (MailDevServer.Unavailable is null)
        {
            _mailDev = await MailDevServer.StartNewAsync(Ct, "--incoming-user", User, "--incoming-pass", Password);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_mailDev is not null)
        {
            await _mailDev.DisposeAsync();
        }
    }

    [Fact]
    public async Task With_the_right_credentials_the_receipt_is_delivered_to_the_submitter()
    {
        var mailDev = Start();
        var receipt = await EnqueueReceiptAsync();

        var result = await Dispatcher(mailDev, Password).DispatchDueAsync(Ct);

        Assert.Equal(1, result.Sent);
        var mail = Assert.Single(await mailDev.EmailsAsync(Ct));
        Assert.Equal("Submission rejected: R0A 2026-10 (r0a-2026-10.csv)", mail.GetProperty("subject").GetString());
        Assert.Equal("analyst@mft.example", mail.GetProperty("to")[0].GetProperty("address").GetString());
        Assert.Equal(NotificationStatus.Sent, (await _outbox.FindAsync(receipt.Id, Ct))!.Status);
    }

    [Fact]
    public async Task With_wrong_credentials_the_failure_is_recorded_with_the_servers_reason_and_nothing_is_delivered()
    {
        var mailDev = Start();
        var receipt = await EnqueueReceiptAsync();

        var result = await Dispatcher(mailDev, "wrong").DispatchDueAsync(Ct);

        Assert.Equal(1, result.Retrying);
        var row = (await _outbox.FindAsync(receipt.Id, Ct))!;
        Assert.Equal(NotificationStatus.Pending, row.Status);
        Assert.StartsWith("AuthenticationException", row.LastError, StringComparison.Ordinal);
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

    private async Task<Notification> EnqueueReceiptAsync()
    {
        var receipt = new SubmissionReceipt("5b1e", "r0a-2026-10.csv", "R0A", Period.Parse("2026-10"), ReceiptOutcome.Rejected, 2, 0,
            ["E012 line 14, column numerator: 'twelve' is not a whole number."], "reports/R0A/2026-10/5b1e.html");
        var notification = NotificationComposer.ForReceipt(receipt, new Recipient("", "analyst@mft.example"), _time.GetUtcNow());
        await _outbox.AddAsync(notification, Ct);
        return notification;
    }

    private NotificationDispatcher Dispatcher(MailDevServer mailDev, string password) => new(
        _outbox,
        new SmtpMailTransport(new MailOptions
        {
            SmtpHost = "127.0.0.1",
            SmtpPort = mailDev.SmtpPort,
            Security = SmtpSecurity.None,
            UserName = User,
            Password = password,
            Timeout = TimeSpan.FromSeconds(5),
        }),
        _time,
        NullLogger<NotificationDispatcher>.Instance);
}
