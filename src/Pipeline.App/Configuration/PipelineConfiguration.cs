using Microsoft.Extensions.Configuration;

namespace Pipeline.App.Configuration;

/// <summary>Thrown at start when configuration is invalid; the message lists every problem and how to fix it.</summary>
public sealed class PipelineConfigurationException(IReadOnlyList<string> problems)
    : Exception("Invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>Reads <see cref="PipelineOptions"/> the same way for every host.</summary>
public static class PipelineConfiguration
{
    /// <summary>
    /// appsettings.json (optional, in <paramref name="baseDirectory"/>), then environment variables, then
    /// <paramref name="overrides"/> (command-line options such as <c>--data-dir</c>), bound and validated.
    /// </summary>
    public static PipelineOptions Load(string baseDirectory, IReadOnlyDictionary<string, string?>? overrides = null) =>
        Bind(Build(baseDirectory, overrides));

    /// <summary>The configuration <see cref="Load"/> binds, for hosts that also read other sections (the object store's).</summary>
    public static IConfiguration Build(string baseDirectory, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = new ConfigurationBuilder()
            .SetBasePath(Path.GetFullPath(baseDirectory))
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false)
            .AddEnvironmentVariables();
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        return builder.Build();
    }

    /// <summary>Binds and validates the <c>Pipeline</c> section of an existing configuration (the Functions host's).</summary>
    public static PipelineOptions Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new PipelineOptions();
        try
        {
            configuration.GetSection(PipelineOptions.SectionName).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            throw new PipelineConfigurationException([$"A Pipeline setting has a value of the wrong type: {ex.Message}"]);
        }

        options.Store.Provider = options.Store.Provider.Trim().ToLowerInvariant();
        var problems = options.Validate();
        return problems.Count == 0 ? options : throw new PipelineConfigurationException(problems);
    }
}
