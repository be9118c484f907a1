using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Adapters.Mail;
using Pipeline.Adapters.Notifications;
using Pipeline.App.Notifications;
using Pipeline.Core.Model;
using Pipeline.Core.Notifications;
using Pipeline.Core.Text.Email;

namespace Pipeline.App.Tests.Notifications;

/// <summary>Dispatcher behaviour with the .eml transport writing to a real folder (or failing to, for real).</summary>
public sealed class NotificationDispatcherTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-dispatch-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 3, 7, 0, 0, TimeSpan.Zero));
    private readonly InMemoryNotificationOutbox _outbox = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Without_a_mail_server_receipts_are_written_as_eml_files_and_marked_sent()
    {
        var notification = await EnqueueAsync("5b1e");

        var result = await Dispatcher(Path.Combine(_root, "outbox")).DispatchDueAsync(Ct);

        Assert.Equal(new DispatchResult(1, 0, 0), result);
        Assert.True(File.Exists(Path.Combine(_root, "outbox", $"{notification.Id}.eml")));
        Assert.Equal(_time.GetUtcNow(), (await _outbox.FindAsync(notification.Id, Ct))!.SentAt);
    }

    [Fact]
    public async Task Failures_back_off_exponentially_and_the_dispatcher_gives_up_after_the_last_attempt()
    {
        // A regular file where the outbox folder should be: every write fails with a real I/O error.
        var blocked = Path.Combine(_root, "not-a-folder");
        await File.WriteAllTextAsync(blocked, "x", Ct);
        var notification = await EnqueueAsync("5b1e");
        var dispatcher = Dispatcher(blocked, new RetryPolicy { FirstDelay = TimeSpan.FromMinutes(1), MaxAttempts = 3 });

        var first = await dispatcher.DispatchDueAsync(Ct);
        _time.Advance(TimeSpan.FromMinutes(1));
        var second = await dispatcher.DispatchDueAsync(Ct);
        var row = (await _outbox.FindAsync(notification.Id, Ct))!;
        Assert.Equal(_time.GetUtcNow().AddMinutes(2), row.NextAttemptAt);
        _time.Advance(TimeSpan.FromMinutes(2));
        var third = await dispatcher.DispatchDueAsync(Ct);

        Assert.Equal((1, 1, 0), (first.Retrying, second.Retrying, third.Retrying));
        Assert.Equal(1, third.GaveUp);
        row = (await _outbox.FindAsync(notification.Id, Ct))!;
        Assert.Equal((NotificationStatus.Failed, 3), (row.Status, row.Attempts));
        Assert.StartsWith("IOException", row.LastError, StringComparison.Ordinal);
        _time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, (await dispatcher.DispatchDueAsync(Ct)).Attempted);
    }

    [Fact]
    public async Task One_failing_notification_does_not_hold_back_the_others()
    {
        await EnqueueAsync("first");
        await EnqueueAsync("second");
        var dispatcher = Dispatcher(Path.Combine(_root, "outbox"));

        var result = await dispatcher.DispatchDueAsync(Ct);

        Assert.Equal(2, result.Sent);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_root, "outbox"), "*.eml").Length);
    }

    private async Task<Notification> EnqueueAsync(string submissionId)
    {
        var receipt = new SubmissionReceipt(submissionId, "r0a.csv", "R0A", Period.Parse("2026-10"), ReceiptOutcome.Accepted, 0, 0, [], $"reports/R0A/2026-10/{submissionId}.html");
        var notification = NotificationComposer.ForReceipt(receipt, new Recipient("", "analyst@mft.example"), _time.GetUtcNow());
        Assert.True(await _outbox.AddAsync(notification, Ct));
        return notification;
    }

    private NotificationDispatcher Dispatcher(string outboxDirectory, RetryPolicy? retry = null) => new(
        _outbox,
        MailTransports.FromOptions(new MailOptions { OutboxDirectory = outboxDirectory }),
        _time,
        NullLogger<NotificationDispatcher>.Instance,
        retry);
}
