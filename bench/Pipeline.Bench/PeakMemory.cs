namespace Pipeline.Bench;

internal static class PeakMemory
{
    /// <summary>The process's peak resident set (VmHWM) in MB; falls back to the peak working set where /proc is absent.</summary>
    public static double ReadMegabytes()
    {
        const string Status = "/proc/self/status";
        if (File.Exists(Status))
        {
            var line = File.ReadLines(Status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is not null && long.TryParse(line["VmHWM:".Length..].Trim().Split(' ')[0], out var kb))
            {
                return kb / 1024.0;
            }
        }

        return System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
    }
}
