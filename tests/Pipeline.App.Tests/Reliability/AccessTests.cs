using System.Text;
using Microsoft.Data.Sqlite;
using Pipeline.Adapters.Mail;
using Pipeline.Adapters.Storage;
using Pipeline.App.Processing;
using Pipeline.App.Tests.Processing;
using Pipeline.Core.Model;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Reliability;

/// <summary>
/// No one in where they don't belong: a trust cannot file for another, personal data stops the load and is never echoed back
/// in full, and settings that hold secrets never print them. (Unknown-trust folders are quarantined: <see cref="DropTests"/>.)
/// </summary>
public sealed class AccessTests
{
    private static readonly Period October = new(2026, 10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task File_whose_organisation_differs_from_its_folder_is_rejected_and_loads_nothing()
    {
        await using var h = await PipelineHarness.CreateAsync();

        // R1H's figures dropped in R0A's folder: R0A's upload rights must not let it file for R1H.
        var result = await h.DropAsync("R0A", October, "equity.json", SampleSubmissions.ToJson(SampleSubmissions.Typical("R1H", October, seed: 1)));

        Assert.Equal(ProcessingOutcome.Rejected, result.Outcome);
        Assert.Contains(await h.Store.GetIssuesAsync(result.SubmissionId, Ct), i => i.Code == "E214");
        var receipt = await File.ReadAllTextAsync(h.PathOf(result.ReceiptHtmlKey!), Ct);
        Assert.Contains("R1H", receipt, StringComparison.Ordinal);
        Assert.Null(await h.Store.FindCurrentAsync("R1H", October, Ct));
        Assert.Null(await h.Store.FindCurrentAsync("R0A", October, Ct));
    }

    [Fact]
    public async Task Personal_data_blocks_the_load_and_is_never_echoed_in_full_in_receipts_or_sql()
    {
        await using var h = await PipelineHarness.CreateAsync();
        var json = SampleSubmissions.ToJsonText(SampleSubmissions.Typical("R0A", October, seed: 1));
        var first = json.IndexOf("\"group\":\"N\"", StringComparison.Ordinal);
        json = json[..first] + "\"group\":\"9434765919\"" + json[(first + "\"group\":\"N\"".Length)..];
        json = json.Replace("\"submitted_by\":\"analyst@nhs.net\"", "\"submitted_by\":\"SW1A 1AA\"", StringComparison.Ordinal);

        var result = await h.DropAsync("R0A", October, "equity.json", Encoding.UTF8.GetBytes(json));

        Assert.Equal(ProcessingOutcome.Rejected, result.Outcome);
        var codes = (await h.Store.GetIssuesAsync(result.SubmissionId, Ct)).Select(i => i.Code).ToHashSet();
        Assert.Contains("E301", codes);
        Assert.Contains("E302", codes);
        Assert.Empty(await h.Store.GetCurrentMeasuresAsync(null, Ct));

        var outputs = new StringBuilder()
            .AppendLine(await File.ReadAllTextAsync(h.PathOf(result.ReceiptJsonKey!), Ct))
            .AppendLine(await File.ReadAllTextAsync(h.PathOf(result.ReceiptHtmlKey!), Ct))
            .AppendJoin('\n', (await DataDirectorySnapshot.TakeAsync(h.Root)).Where(l => l.StartsWith("sql ", StringComparison.Ordinal)))
            .ToString();
        Assert.DoesNotContain("9434765919", outputs, StringComparison.Ordinal);
        Assert.DoesNotContain("SW1A 1AA", outputs, StringComparison.Ordinal);
        Assert.Contains("*******", outputs, StringComparison.Ordinal); // masked, so the submitter can still find the cell
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public void Options_holding_secrets_never_print_them()
    {
        var mail = new MailOptions { SmtpHost = "smtp.example", UserName = "pipeline", Password = "Sup3r-S3cret-Smtp!" };
        var blob = new BlobStorageOptions { ConnectionString = "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=S3cretAccountKey==" };

        Assert.DoesNotContain("Sup3r-S3cret-Smtp!", mail.ToString(), StringComparison.Ordinal);
        Assert.Contains("smtp.example", mail.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("S3cretAccountKey", blob.ToString(), StringComparison.Ordinal);
    }
}
