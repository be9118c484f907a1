using DbUp.Builder;
using DbUp.Engine;

namespace Pipeline.Adapters.Store;

/// <summary>
/// The versioned schema scripts embedded in this assembly, applied in file-name order and journalled by DbUp, so each runs
/// once per database: the engine's own folder (<c>Store/Migrations/{Sqlite|SqlServer}/NNNN_name.sql</c>) plus
/// <c>Store/Migrations/Shared/</c> for scripts whose SQL both engines accept (so they cannot drift apart).
/// Numbers are unique across the folders; later features add 0010_… and up.
/// </summary>
internal static class Migrations
{
    public const string SqliteFolder = "Sqlite";
    public const string SqlServerFolder = "SqlServer";
    private const string SharedFolder = "Shared";

    public static UpgradeEngine Build(UpgradeEngineBuilder builder, string folder) =>
        builder
            .WithScripts(Scripts(folder))
            .WithTransactionPerScript()
            .WithVariablesDisabled()
            .LogToNowhere()
            .Build();

    public static void Run(UpgradeEngine engine, string describe)
    {
        var result = engine.PerformUpgrade();
        if (!result.Successful)
        {
            throw new StoreMigrationException(
                $"Migrating the store ({describe}) failed in script {result.ErrorScript?.Name ?? "(none)"}: {result.Error?.Message}", result.Error);
        }
    }

    /// <summary>The engine's scripts and the shared ones, named by file name (the journal key) and ordered by it.</summary>
    internal static IReadOnlyList<SqlScript> Scripts(string folder)
    {
        var assembly = typeof(Migrations).Assembly;
        var scripts = new List<SqlScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var prefix = new[] { folder, SharedFolder }.Select(f => $".Store.Migrations.{f}.").FirstOrDefault(p => resource.Contains(p, StringComparison.Ordinal));
            if (prefix is null)
            {
                continue;
            }

            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            scripts.Add(new SqlScript(resource[(resource.IndexOf(prefix, StringComparison.Ordinal) + prefix.Length)..], reader.ReadToEnd()));
        }

        return [.. scripts.OrderBy(s => s.Name, StringComparer.Ordinal)];
    }
}

/// <summary>A schema migration failed; the message names the store and the script.</summary>
public sealed class StoreMigrationException(string message, Exception? inner) : Exception(message, inner);
