using System.IO.Compression;

namespace Pipeline.Core.Tests.Fixtures;

internal static class ZipFiles
{
    /// <summary>A zip whose entries are runs of zero bytes: tiny on disk, large when expanded (a zip bomb when big).</summary>
    public static byte[] OfZeros(params (string Name, int Zeros)[] entries)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            foreach (var (name, size) in entries)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                for (var written = 0; written < size; written += zeros.Length)
                {
                    entry.Write(zeros, 0, Math.Min(zeros.Length, size - written));
                }
            }
        }

        return stream.ToArray();
    }
}
