namespace Pipeline.App.Processing;

/// <summary>The points in processing after which a fault hook runs (tests use it to simulate a crash there).</summary>
public enum ProcessingStep
{
    /// <summary>The submission row exists (status received) and this attempt is counted.</summary>
    Received,

    /// <summary>The file was read and validated.</summary>
    Validated,

    /// <summary>The receipt (JSON and HTML) is written.</summary>
    ReceiptWritten,

    /// <summary>The Parquet file is in the lake; SQL is not loaded yet.</summary>
    LakeWritten,

    /// <summary>The SQL load (and every after-load step) has committed.</summary>
    Loaded,
}

/// <summary>Called after each step; throwing from it behaves exactly like the processor crashing there.</summary>
public delegate Task FaultHook(ProcessingStep step, CancellationToken cancellationToken);
