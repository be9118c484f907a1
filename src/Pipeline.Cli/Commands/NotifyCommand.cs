using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Adapters.Mail;
using Pipeline.App.Hosting;
using Pipeline.App.Notifications;
using Pipeline.App.Reporting;
using Pipeline.Core.Notifications;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline notify</c>: sends what is due in the outbox, through SMTP when <c>Pipeline:Mail:SmtpHost</c> is configured,
/// otherwise as <c>.eml</c> files in <c>{data dir}/outbox</c> (or the <c>outbox</c> container when Blob Storage is configured); prints each message's outcome. Failures stay pending with
/// their reason and are retried by the next run after the backoff.
/// </summary>
internal static class NotifyCommand
{
    public static Command Create(TimeProvider time)
    {
        var checkLate = new Option<bool>("--check-late")
        {
            Description = "First run the late/missing-submission check for the latest month past its deadline (what the Functions host does daily).",
        };
        var dataDirectory = CliEnvironment.DataDirectoryOption();
        var command = new Command("notify", "Send the emails waiting in the outbox (SMTP if Pipeline:Mail:SmtpHost is set, else .eml files in the data directory's outbox/, or the outbox container with Blob Storage).")
        {
            checkLate,
            dataDirectory,
        };
        command.SetAction((parseResult, cancellationToken) => CliEnvironment.GuardAsync(async () =>
        {
            var configuration = CliEnvironment.Configuration(parseResult.GetValue(dataDirectory));
            var services = await CliEnvironment.StartAsync(configuration, time, cancellationToken).ConfigureAwait(false);
            var mail = MailConfiguration.Read(configuration);
            if (parseResult.GetValue(checkLate))
            {
                var late = await services.LateCheck.CheckAsync(null, cancellationToken).ConfigureAwait(false);
                await Console.Out.WriteLineAsync(
                    $"late check {late.Decision.Period}: {late.Decision.Notices.Count} change(s) to tell, {late.Notifications.Count} email(s) queued.")
                    .ConfigureAwait(false);
            }

            var due = await services.Outbox.ListDueAsync(time.GetUtcNow(), int.MaxValue, cancellationToken).ConfigureAwait(false);
            var transport = services.Provider.GetRequiredService<IMailTransport>();
            var dispatcher = services.Provider.GetRequiredService<NotificationDispatcher>();
            // The reports the emails link to first, so every link opens (docs/alerts.md §5).
            var reports = await services.Provider.GetRequiredService<PendingReports>().PublishAsync(cancellationToken)
                .ConfigureAwait(false);
            await dispatcher.DispatchPendingAsync(cancellationToken).ConfigureAwait(false);

            var failed = 0;
            foreach (var before in due)
            {
                var after = await services.Outbox.FindAsync(before.Id, cancellationToken).ConfigureAwait(false);
                var to = string.Join(", ", before.Recipients.Select(r => r.Email));
                if (after?.Status == NotificationStatus.Sent)
                {
                    await Console.Out.WriteLineAsync($"sent    {before.Id} to {to}: {before.Subject}").ConfigureAwait(false);
                    continue;
                }

                failed++;
                var when = after?.Status == NotificationStatus.Failed ? "gave up" : $"retry after {after?.NextAttemptAt:yyyy-MM-dd HH:mm} UTC";
                await Console.Out.WriteLineAsync($"failed  {before.Id} to {to}: {after?.LastError} ({when})").ConfigureAwait(false);
            }

            var where = transport is ObjectStoreMailTransport ? $".eml files in {services.Objects.Describe(ObjectStoreMailTransport.KeyFor("x"))[..^"x.eml".Length]}"
                : string.IsNullOrWhiteSpace(mail.SmtpHost) ? $".eml files in {mail.OutboxDirectory}" : $"SMTP {mail.SmtpHost}:{mail.SmtpPort}";
            await Console.Out.WriteLineAsync(
                    $"{due.Count - failed} sent, {failed} failed, via {where}; {reports} report(s) published first.")
                .ConfigureAwait(false);
            return failed == 0 ? ExitCodes.Success : ExitCodes.UsageOrEnvironment;
        }));
        return command;
    }
}
