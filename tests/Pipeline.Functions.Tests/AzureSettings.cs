namespace Pipeline.Functions.Tests;

/// <summary>The app settings function-app.bicep writes, with its parameters filled with realistic values (as a deployment would).</summary>
internal static class AzureSettings
{
    public const string IdentityClientId = "6f1c2e0a-3b7d-4c55-9a8e-2d4f6b8c0e1a";

    public static readonly IReadOnlyDictionary<string, string> BicepParameters = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["identityClientId"] = IdentityClientId,
        ["sqlServerFqdn"] = "sql-abc123.database.windows.net",
        ["sqlDatabaseName"] = "pipeline",
        ["dataBlobEndpoint"] = "https://stdataabc123.blob.core.windows.net/",
        ["dataQueueEndpoint"] = "https://stdataabc123.queue.core.windows.net/",
        ["keyVaultName"] = "kv-abc123",
        ["smtpHost"] = string.Empty,
        ["string(smtpPort)"] = "587",
        ["smtpUserName"] = string.Empty,
        ["mailFrom"] = "maternity-equity@region.nhs.example",
        ["reportsBaseUrl"] = string.Empty,
        ["applicationInsightsConnectionString"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000",
        ["hostStorage.properties.primaryEndpoints.blob"] = "https://sthostabc123.blob.core.windows.net/",
        ["hostStorage.properties.primaryEndpoints.queue"] = "https://sthostabc123.queue.core.windows.net/",
        ["hostStorage.properties.primaryEndpoints.table"] = "https://sthostabc123.table.core.windows.net/",
    };

    /// <summary>Every app setting of function-app.bicep whose value is a string or a parameter, filled.</summary>
    public static IReadOnlyDictionary<string, string> FilledAppSettings()
    {
        var filled = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, expression) in FunctionsBuild.BicepAppSettings())
        {
            var value = BicepParameters.TryGetValue(expression, out var parameter) ? parameter : FunctionsBuild.Fill(expression, BicepParameters);
            filled[key] = value;
        }

        return filled;
    }
}
