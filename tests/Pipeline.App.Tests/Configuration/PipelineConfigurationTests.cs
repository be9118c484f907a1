using Microsoft.Extensions.Configuration;
using Pipeline.App.Configuration;
using Pipeline.Core.Alerts;

namespace Pipeline.App.Tests.Configuration;

public sealed class PipelineConfigurationTests
{
    [Fact]
    public void Settings_bind_from_configuration_keys_as_environment_variables_spell_them()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pipeline:Store:Provider"] = "SqlServer",
            ["Pipeline:Store:ConnectionString"] = "Server=tcp:x.database.windows.net;Database=pipeline",
            ["Pipeline:DataDirectory"] = "/data",
            ["Pipeline:Submissions:DeadlineDay"] = "10",
            ["Pipeline:Submissions:MaxAttempts"] = "3",
        }).Build();

        var options = PipelineConfiguration.Bind(configuration);

        Assert.Equal(("sqlserver", "/data", 10, 3), (options.Store.Provider, options.DataDirectory, options.Submissions.DeadlineDay, options.Submissions.MaxAttempts));
    }

    [Fact]
    public void Invalid_settings_fail_at_start_naming_every_setting_and_its_fix()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pipeline:Store:Provider"] = "postgres",
            ["Pipeline:Submissions:DeadlineDay"] = "31",
            ["Pipeline:Submissions:MaxAttempts"] = "0",
        }).Build();

        var error = Assert.Throws<PipelineConfigurationException>(() => PipelineConfiguration.Bind(configuration));

        Assert.Equal(3, error.Problems.Count);
        Assert.Contains("Pipeline:Store:Provider is 'postgres': use 'sqlite' or 'sqlserver'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Pipeline:Submissions:DeadlineDay", error.Message, StringComparison.Ordinal);
        Assert.Contains("Pipeline:Submissions:MaxAttempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Alert_emails_start_at_alert_severity_unless_watches_are_asked_for()
    {
        static PipelineOptions With(string? severity) => PipelineConfiguration.Bind(new ConfigurationBuilder()
            .AddInMemoryCollection(severity is null ? [] : new Dictionary<string, string?> { ["Pipeline:Alerts:EmailFromSeverity"] = severity }).Build());

        Assert.Equal(AlertSeverity.Alert, With(null).Alerts.Policy().EmailFrom);
        Assert.Equal(AlertSeverity.Watch, With("watch").Alerts.Policy().EmailFrom);
        var error = Assert.Throws<PipelineConfigurationException>(() => With("critical"));
        Assert.Contains("Pipeline:Alerts:EmailFromSeverity is 'critical': use 'alert'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sql_server_without_a_connection_string_is_refused()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Pipeline:Store:Provider"] = "sqlserver" }).Build();

        var error = Assert.Throws<PipelineConfigurationException>(() => PipelineConfiguration.Bind(configuration));

        Assert.Contains("Pipeline__Store__ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_setting_of_the_wrong_type_is_reported_not_thrown_raw()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Pipeline:Submissions:MaxAttempts"] = "five" }).Build();

        var error = Assert.Throws<PipelineConfigurationException>(() => PipelineConfiguration.Bind(configuration));

        Assert.Contains("wrong type", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Appsettings_file_is_read_and_overrides_win()
    {
        var folder = Directory.CreateTempSubdirectory("pipeline-config-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "appsettings.json"), """{ "Pipeline": { "DataDirectory": "from-file", "Submissions": { "DeadlineDay": 20 } } }""");

            var options = PipelineConfiguration.Load(folder, new Dictionary<string, string?> { ["Pipeline:DataDirectory"] = "from-cli" });

            Assert.Equal(("from-cli", 20), (options.DataDirectory, options.Submissions.DeadlineDay));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
