using Pipeline.Cli.Tests.Commands;

namespace Pipeline.Cli.Tests.Reliability;

/// <summary>Commands that fail on a store or mail setting say which setting, never the secret it holds.</summary>
public sealed class SecretsInOutputTests : IDisposable
{
    private const string SqlPassword = "Sup3r-S3cret-Sql!";
    private const string SmtpPassword = "Sup3r-S3cret-Smtp!";
    private readonly string _work = Directory.CreateTempSubdirectory("pipeline-secrets-").FullName;

    [Theory]
    [InlineData("migrate")]
    [InlineData("status")]
    public async Task Unreachable_sql_server_is_reported_without_the_connection_string_password(string command)
    {
        var pipeline = new PipelineProcess(_work);
        pipeline.Environment["Pipeline__Store__Provider"] = "sqlserver";
        pipeline.Environment["Pipeline__Store__ConnectionString"] =
            $"Server=tcp:127.0.0.1,1;Database=pipeline;User ID=pipeline;Password={SqlPassword};Connect Timeout=3;ConnectRetryCount=0;Encrypt=False";
        pipeline.Environment["Pipeline__Mail__SmtpHost"] = "127.0.0.1";
        pipeline.Environment["Pipeline__Mail__UserName"] = "pipeline";
        pipeline.Environment["Pipeline__Mail__Password"] = SmtpPassword;

        var (exitCode, output, error) = command == "status"
            ? await pipeline.RunAsync(command, "--period", "2026-10", "--data-dir", "data")
            : await pipeline.RunAsync(command, "--data-dir", "data");

        Assert.Equal(2, exitCode);
        Assert.Contains("the SQL store failed", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal); // one clear line, no stack trace
        Assert.DoesNotContain(SqlPassword, output + error, StringComparison.Ordinal);
        Assert.DoesNotContain(SmtpPassword, output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_settings_are_named_without_echoing_the_secret_beside_them()
    {
        var pipeline = new PipelineProcess(_work);
        pipeline.Environment["Pipeline__Store__Provider"] = "oracle";
        pipeline.Environment["Pipeline__Store__ConnectionString"] = $"Data Source=x;Password={SqlPassword}";

        var (exitCode, output, error) = await pipeline.RunAsync("migrate", "--data-dir", "data");

        Assert.Equal(2, exitCode);
        Assert.Contains("Pipeline:Store:Provider", error, StringComparison.Ordinal);
        Assert.DoesNotContain(SqlPassword, output + error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
