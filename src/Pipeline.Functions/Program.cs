using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.App.Hosting;

// Composition root of the Azure Functions host. Everything the functions call is wired by Pipeline.App, the same
// wiring the CLI uses; configuration comes from app settings (Pipeline__Storage__BlobServiceUri, ...), see docs/deploy.md.
var builder = FunctionsApplication.CreateBuilder(args);

builder.Services
    .AddApplicationInsightsTelemetryWorkerService()
    .ConfigureFunctionsApplicationInsights();

// The Application Insights SDK adds a Warning-only filter for its provider; drop it so Information logs (receipts,
// outcomes) reach Application Insights as host.json's log levels intend.
builder.Logging.Services.Configure<LoggerFilterOptions>(options =>
{
    var warningOnly = options.Rules.FirstOrDefault(rule =>
        rule.ProviderName == "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider");
    if (warningOnly is not null)
    {
        options.Rules.Remove(warningOnly);
    }
});

builder.Services.AddPipelineHosting(builder.Configuration);

var host = builder.Build();
// Bad settings stop the worker here, naming the setting, not at the first upload or timer. Opens no connection: the
// schema is made sure of before each function's first use of SQL (StoreSchemaGate), so a paused database stays paused.
host.Services.ValidatePipelineHosting();
host.Run();
