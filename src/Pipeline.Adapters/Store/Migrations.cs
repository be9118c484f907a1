using DbUp.Builder;
using DbUp.Engine;

namespace Pipeline.Adapters.Store;

/// <summary>
/// The versioned schema scripts embedded in this assembly (<c>Store/Migrations/{Engine}/NNNN_name.sql</c>), applied in name order
/// and journalled by DbUp, so each runs once per database. Later issues add 0010_… and up.
/// </summary>
internal static class Migrations
{
    public const string SqliteFolder = "Sqlite";
    public const string SqlServerFolder = "SqlServer";

    public static UpgradeEngine Build(UpgradeEngineBuilder builder, string folder) =>
        builder
            .WithScriptsEmbeddedInAssembly(typeof(Migrations).Assembly, name => name.Contains($".Store.Migrations.{folder}.", StringComparison.Ordinal))
            .WithTransactionPerScript()
            .WithVariablesDisabled()
            .LogToNowhere()
            .Build();

    public static void Run(UpgradeEngine engine, string describe)
    {
        var result = engine.PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException(
                $"Migrating the store ({describe}) failed in script {result.ErrorScript?.Name ?? "(none)"}: {result.Error?.Message}", result.Error);
        }
    }
}
