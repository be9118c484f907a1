using System.Globalization;
using Pipeline.Adapters.Store;

namespace Pipeline.App.Processing;

/// <summary>
/// <b>Test hook, off by default.</b> When the environment variable <c>PIPELINE_FAULT_AT</c> names a fault point, the process dies
/// there as if killed: <c>PIPELINE_FAULT_AT=lake-written</c> calls <see cref="Environment.FailFast(string)"/> (no finally blocks,
/// no disposal, no flush: what <c>kill -9</c> leaves behind); <c>lake-written:hang</c> prints one line on stderr and blocks so the
/// test can <c>kill -9</c> the process itself; <c>lake-written@3</c> fires the third time the point is reached (mid-batch).
/// The reliability tests (docs/reliability.md) run the real CLI with it. Other steps add a point by calling <see cref="Reach"/>
/// with a new kebab-case name (the alerts steps: after the alert state is written, after an email is sent).
/// </summary>
public static class FaultInjection
{
    public const string VariableName = "PIPELINE_FAULT_AT";

    /// <summary>Inside the SQL load transaction: measures, statuses and every other after-load step written, not committed.</summary>
    public const string LoadUncommitted = "load-uncommitted";

    private static readonly FaultPlan? Plan = FaultPlan.Parse(Environment.GetEnvironmentVariable(VariableName));
    private static int _hits;

    /// <summary>True when a fault is planned in this process (so hosts add the in-transaction step only then).</summary>
    public static bool IsPlanned(string point) => Plan is not null && string.Equals(Plan.Point, point, StringComparison.Ordinal);

    /// <summary>The fault point's name for a processing step: <c>received</c>, <c>validated</c>, <c>receipt-written</c>, <c>lake-written</c>, <c>loaded</c>.</summary>
    public static string PointOf(ProcessingStep step) => step switch
    {
        ProcessingStep.Received => "received",
        ProcessingStep.Validated => "validated",
        ProcessingStep.ReceiptWritten => "receipt-written",
        ProcessingStep.LakeWritten => "lake-written",
        ProcessingStep.Loaded => "loaded",
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, null),
    };

    /// <summary>Dies here when this point is the planned one (and this is its planned occurrence); otherwise returns at once.</summary>
    public static void Reach(string point)
    {
        if (!IsPlanned(point) || Interlocked.Increment(ref _hits) != Plan!.Occurrence)
        {
            return;
        }

        var message = string.Create(CultureInfo.InvariantCulture, $"{VariableName}: fault point '{point}' reached (occurrence {Plan.Occurrence})");
        if (Plan.Hang)
        {
            Console.Error.WriteLine(message + "; hanging until killed");
            Console.Error.Flush();
            Thread.Sleep(Timeout.Infinite);
        }

        Environment.FailFast(message);
    }

    /// <summary>The processor's fault hook for the planned point, or null when none is planned (the default).</summary>
    public static FaultHook? ProcessingHook() => Plan is null
        ? null
        : (step, _) =>
        {
            Reach(PointOf(step));
            return Task.CompletedTask;
        };

    /// <summary>The after-load steps that reach <see cref="LoadUncommitted"/> inside the load transaction, when it is planned.</summary>
    public static IReadOnlyList<IAfterLoad> AfterLoadSteps() => IsPlanned(LoadUncommitted) ? [new UncommittedLoadPoint()] : [];

    // Runs last inside the transaction, so the process dies with every row of the load written and none committed.
    private sealed class UncommittedLoadPoint : IAfterLoad
    {
        public Task AfterLoadAsync(AfterLoadContext context, CancellationToken cancellationToken)
        {
            Reach(LoadUncommitted);
            return Task.CompletedTask;
        }
    }

    private sealed record FaultPlan(string Point, int Occurrence, bool Hang)
    {
        public static FaultPlan? Parse(string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            var hang = value.EndsWith(":hang", StringComparison.Ordinal);
            var text = hang ? value[..^":hang".Length] : value;
            var at = text.IndexOf('@', StringComparison.Ordinal);
            var occurrence = at >= 0 && int.TryParse(text[(at + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
            return new FaultPlan(at < 0 ? text.Trim() : text[..at].Trim(), occurrence, hang);
        }
    }
}
