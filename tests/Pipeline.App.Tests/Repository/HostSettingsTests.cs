using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Pipeline.App.Hosting;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Repository;

/// <summary>
/// The Functions host's settings agree across the places that must agree (tests/Pipeline.Functions.Tests checks the built host itself): the
/// trigger's code, the Bicep that sets app settings, the local example settings, host.json and the configuration keys
/// Pipeline.App reads.
/// </summary>
public sealed partial class HostSettingsTests
{
    private static readonly string FunctionAppBicep = File.ReadAllText(RepositoryPaths.Combine("infra", "app", "function-app.bicep"));

    [Fact]
    public void Trigger_connection_is_set_by_the_infrastructure_and_the_local_example()
    {
        var trigger = File.ReadAllText(RepositoryPaths.Combine("src", "Pipeline.Functions", "ProcessSubmission.cs"));
        var connection = ConnectionConstant().Match(trigger).Groups[1].Value;

        Assert.Equal("SubmissionsStorage", connection);
        Assert.Contains($"{connection}__blobServiceUri:", FunctionAppBicep, StringComparison.Ordinal);
        Assert.Contains($"{connection}__queueServiceUri:", FunctionAppBicep, StringComparison.Ordinal);
        Assert.True(LocalExampleValues().ContainsKey(connection));
    }

    [Fact]
    public void Every_storage_setting_the_infrastructure_sets_is_one_the_app_reads()
    {
        string[] known =
        [
            StorageConfiguration.BlobServiceUriKey, StorageConfiguration.ConnectionStringKey,
            StorageConfiguration.ManagedIdentityClientIdKey, StorageConfiguration.ContainerPrefixKey,
        ];
        var set = StorageSetting().Matches(FunctionAppBicep).Select(m => m.Groups[1].Value.Replace("__", ":", StringComparison.Ordinal)).ToList();

        Assert.Equal([StorageConfiguration.BlobServiceUriKey, StorageConfiguration.ManagedIdentityClientIdKey], set);
        Assert.All(set, key => Assert.Contains(key, known));
    }

    [Fact]
    public void Every_mail_setting_the_infrastructure_sets_is_one_the_app_reads()
    {
        var set = MailSetting().Matches(FunctionAppBicep).Select(m => m.Groups[1].Value).ToList();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(set.Select(key => KeyValuePair.Create(
            $"{MailConfiguration.Section}:{key}", (string?)(key == "SmtpPort" ? "587" : key == "FromAddress" ? "equity@region.nhs.example" : "value")))).Build();

        Assert.Contains("FromAddress", set);
        Assert.All(set, key => Assert.Contains(key, MailConfiguration.Keys));
        Assert.Equal("equity@region.nhs.example", MailConfiguration.Read(configuration).FromAddress);
    }

    [Fact]
    public void A_misspelt_mail_setting_fails_at_start_naming_it()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Pipeline:Mail:From"] = "equity@region.nhs.example" }).Build();

        var error = Assert.ThrowsAny<Exception>(() => MailConfiguration.Read(configuration));

        Assert.Contains("Pipeline:Mail:From is not a mail setting", error.Message, StringComparison.Ordinal);
        Assert.Contains("FromAddress", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Local_example_settings_point_the_pipeline_at_azurite()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(LocalExampleValues().Select(kv => KeyValuePair.Create(kv.Key.Replace("__", ":", StringComparison.Ordinal), (string?)kv.Value)))
            .Build();

        var store = StorageConfiguration.CreateObjectStore(configuration);

        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1/submissions/RXX/2026-10/f.csv", store.Describe("submissions/RXX/2026-10/f.csv"));
    }

    [Fact]
    public void Host_json_retries_a_failing_submission_before_poisoning_it_and_allows_long_runs()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Combine("host.json")));
        var root = host.RootElement;

        Assert.Equal("2.0", root.GetProperty("version").GetString());
        Assert.InRange(root.GetProperty("extensions").GetProperty("blobs").GetProperty("poisonBlobThreshold").GetInt32(), 2, 10);
        Assert.True(TimeSpan.Parse(root.GetProperty("functionTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= TimeSpan.FromMinutes(10));
    }

    private static Dictionary<string, string> LocalExampleValues()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Combine("src", "Pipeline.Functions", "local.settings.example.json")));
        return settings.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }

    [GeneratedRegex(@"const string Connection = ""(\w+)""")]
    private static partial Regex ConnectionConstant();

    [GeneratedRegex(@"^\s*(Pipeline__Storage__\w+):", RegexOptions.Multiline)]
    private static partial Regex StorageSetting();

    [GeneratedRegex(@"^\s*Pipeline__Mail__(\w+):", RegexOptions.Multiline)]
    private static partial Regex MailSetting();
}
