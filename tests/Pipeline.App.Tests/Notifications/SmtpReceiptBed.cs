using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Adapters.Mail;
using Pipeline.Adapters.Notifications;
using Pipeline.App.Notifications;
using Pipeline.Core.Model;
using Pipeline.Core.Notifications;
using Pipeline.Core.Text.Email;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Notifications;

/// <summary>
/// What the real-SMTP tests share: a queued submitter's receipt in an in-memory outbox, a dispatcher on a fake clock with
/// the test's mail options, the MailDev credentials, and the check that a refused send kept the notification.
/// </summary>
internal sealed class SmtpReceiptBed
{
    public const string User = "pipeline";
    public const string Password = "correct horse battery staple";
    public const string Subject = "Submission rejected: R0A 2026-10 (r0a-2026-10.csv)";

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 3, 7, 0, 0, TimeSpan.Zero));

    public InMemoryNotificationOutbox Outbox { get; } = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The running MailDev, or the test is reported as skipped with why MailDev cannot run here.</summary>
    public static MailDevServer Require(MailDevServer? mailDev)
    {
        if (MailDevServer.Unavailable is { } why)
        {
            Assert.Skip(why);
        }

        return mailDev!;
    }

    public async Task<Notification> EnqueueReceiptAsync()
    {
        var receipt = new SubmissionReceipt("5b1e", "r0a-2026-10.csv", "R0A", Period.Parse("2026-10"), ReceiptOutcome.Rejected, 2, 0,
            ["E012 line 14, column numerator: 'twelve' is not a whole number."], "reports/R0A/2026-10/5b1e.html");
        var notification = NotificationComposer.ForReceipt(receipt, new Recipient("", "analyst@mft.example"), Time.GetUtcNow());
        await Outbox.AddAsync(notification, Ct);
        return notification;
    }

    /// <summary>A dispatcher sending as <see cref="User"/> with <paramref name="password"/> through <paramref name="options"/> (host, port, security, trust).</summary>
    public NotificationDispatcher Dispatcher(MailOptions options, string password) => new(
        Outbox,
        new SmtpMailTransport(options with { UserName = User, Password = password, Timeout = TimeSpan.FromSeconds(5) }),
        Time,
        NullLogger<NotificationDispatcher>.Instance);

    /// <summary>
    /// The send was refused: the notification is still pending, its recorded reason starts with
    /// <paramref name="errorType"/>, and MailDev received nothing. Returns the row for the test's own checks.
    /// </summary>
    public async Task<Notification> AssertHeldBackAsync(Notification receipt, MailDevServer mailDev, string errorType)
    {
        var row = (await Outbox.FindAsync(receipt.Id, Ct))!;
        Assert.Equal(NotificationStatus.Pending, row.Status);
        Assert.StartsWith(errorType, row.LastError, StringComparison.Ordinal);
        Assert.Empty(await mailDev.EmailsAsync(Ct));
        return row;
    }
}
