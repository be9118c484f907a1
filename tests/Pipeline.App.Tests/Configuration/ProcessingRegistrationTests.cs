using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Adapters.Storage;
using Pipeline.Adapters.Store;
using Pipeline.App.Configuration;
using Pipeline.Adapters.Notifications;
using Pipeline.App.Hosting;
using Pipeline.App.Notifications;
using Pipeline.Core.Notifications;
using Pipeline.Core.Text.Email;
using Pipeline.Core.Model;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Configuration;

public sealed class ProcessingRegistrationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-di-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Intake_registered_for_a_host_migrates_the_store_and_processes_a_drop()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Pipeline:DataDirectory"] = _root }).Build();
        await using var provider = new ServiceCollection().AddPipelineHosting(configuration).AddSubmissionProcessing(configuration).BuildServiceProvider();
        var objects = provider.GetRequiredService<IObjectStore>();
        using (var content = new MemoryStream(SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", new Period(2026, 10), 1))))
        {
            await objects.WriteAsync("submissions/R0A/2026-10/a.json", content, Ct);
        }

        await provider.GetRequiredService<ISubmissionIntake>().ProcessAsync("submissions/R0A/2026-10/a.json", Ct);

        Assert.Equal(540, (await provider.GetRequiredService<IPipelineStore>().GetCurrentMeasuresAsync(null, Ct)).Count);
    }

    [Fact]
    public async Task A_hosts_timers_get_the_sql_outbox_drained_to_eml_files_and_the_late_check()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Pipeline:DataDirectory"] = _root }).Build();
        await using var provider = new ServiceCollection().AddPipelineHosting(configuration).BuildServiceProvider();
        await provider.GetRequiredService<IPipelineStore>().MigrateAsync(Ct);
        var outbox = provider.GetRequiredService<INotificationOutbox>();
        await outbox.AddAsync(NotificationComposer.ForReceipt(
            new SubmissionReceipt("s1", "a.json", "R0A", new Period(2026, 10), ReceiptOutcome.Accepted, 0, 0, [], "reports/R0A/2026-10/s1.html"),
            new Recipient("Analyst", "analyst@trust.example"),
            TimeProvider.System.GetUtcNow()), Ct);

        await provider.GetRequiredService<INotificationPump>().DispatchPendingAsync(Ct);
        await provider.GetRequiredService<ILateSubmissionCheck>().RunAsync(Ct);

        Assert.IsType<SqlNotificationOutbox>(outbox);
        Assert.Single(Directory.GetFiles(Path.Combine(_root, "outbox"), "*.eml"));
    }

    [Fact]
    public void Invalid_settings_fail_when_the_host_registers_services()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Pipeline:Store:Provider"] = "mysql" }).Build();

        Assert.Throws<PipelineConfigurationException>(() => new ServiceCollection().AddSubmissionProcessing(configuration));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}
