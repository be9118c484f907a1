using Microsoft.Data.Sqlite;
using Pipeline.Cli.Tests.Commands;
using Pipeline.Core.Model;
using Pipeline.Tests.Shared;

namespace Pipeline.Cli.Tests.Reliability;

/// <summary>The real CLI against hostile batches and many processes at once, as an operator would run it.</summary>
public sealed class HostileIngestTests : IDisposable
{
    private static readonly Period October = new(2026, 10);
    private readonly string _work = Directory.CreateTempSubdirectory("pipeline-hostile-").FullName;

    [Fact]
    public async Task A_file_name_with_an_escape_sequence_is_quarantined_and_the_rest_of_the_batch_is_processed()
    {
        var batch = Path.Combine(_work, "in");
        Write(batch, "R0A", "\u001b]0;pwned\u0007evil.json", SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", October, 1)));
        Write(batch, "R0B", "equity.json", SampleSubmissions.ToJson(SampleSubmissions.Typical("R0B", October, 2)));
        Write(batch, "R0D", "equity.json", SampleSubmissions.ToJson(SampleSubmissions.Typical("R0D", October, 3)));

        var (exit, output, error) = await new PipelineProcess(_work).RunAsync("ingest", batch, "--data-dir", "data");

        Assert.Equal(1, exit);
        Assert.DoesNotContain('\u001b', output + error);
        Assert.Contains("U+001B", output, StringComparison.Ordinal);
        Assert.Equal(
            [("R0A", "failed"), ("R0B", "accepted"), ("R0D", "accepted")],
            Statuses(Path.Combine(_work, "data", "pipeline.db")));
    }

    [Fact]
    public async Task Many_concurrent_ingests_of_one_file_on_a_fresh_data_directory_all_succeed_and_quarantine_nothing()
    {
        var file = Write(Path.Combine(_work, "in"), "R0A", "equity.json", SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", October, 1)));
        const int Processes = 40;

        var runs = await Task.WhenAll(Enumerable.Range(0, Processes).Select(_ => new PipelineProcess(_work).RunAsync("ingest", file, "--data-dir", "data")));

        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.Output + run.Error));
        Assert.Equal([("R0A", "accepted")], Statuses(Path.Combine(_work, "data", "pipeline.db")));
        Assert.False(Directory.Exists(Path.Combine(_work, "data", "quarantine")));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_work, recursive: true);
    }

    private static string Write(string folder, string organisation, string name, byte[] content)
    {
        var directory = Directory.CreateDirectory(Path.Combine(folder, organisation, October.ToString())).FullName;
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static List<(string, string)> Statuses(string database)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "select organisation_code, status from submission order by organisation_code";
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }
}
