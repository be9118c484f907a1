using System.Runtime.InteropServices;

namespace Pipeline.Adapters.Storage;

/// <summary>
/// What a drop entry is, without following links or opening it. .NET reports a FIFO or a device as an ordinary file, and
/// opening a FIFO blocks until a writer appears, so on Linux the type comes from <c>statx(2)</c> (whose layout is the same on
/// every architecture); elsewhere from the file attributes .NET gives.
/// </summary>
public static class FileKind
{
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28;
    private const int TypeMask = 0xF000;
    private const int RegularFile = 0x8000;
    private const int Directory = 0x4000;
    private const int SymbolicLink = 0xA000;

    /// <summary>Null for a regular file; otherwise what it is ("a symbolic link", "a FIFO, device or socket").</summary>
    public static string? NotRegular(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            var buffer = new byte[256];
            if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer) == 0)
            {
                return (BitConverter.ToUInt16(buffer, ModeOffset) & TypeMask) switch
                {
                    RegularFile => null,
                    SymbolicLink => "a symbolic link",
                    Directory => "a folder",
                    _ => "a FIFO, device or socket",
                };
            }
        }

        var file = new FileInfo(path);
        return file.LinkTarget is not null ? "a symbolic link"
            : (file.Attributes & (FileAttributes.Device | FileAttributes.ReparsePoint)) != 0 ? "a device or special file"
            : null;
    }

    // DllImport rather than LibraryImport: the generated form needs unsafe code enabled for the whole assembly.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
#pragma warning restore SYSLIB1054
}

/// <summary>
/// Walks a drop folder without following links: files and every non-regular entry (links to files or folders, FIFOs,
/// devices) are returned, so each gets a verdict; a linked folder is returned as one entry, never walked into.
/// </summary>
public static class DropFolder
{
    public static IEnumerable<string> Entries(string folder)
    {
        var pending = new Stack<DirectoryInfo>();
        pending.Push(new DirectoryInfo(folder));
        while (pending.Count > 0)
        {
            foreach (var entry in pending.Pop().EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true }))
            {
                if (entry is DirectoryInfo directory && directory.LinkTarget is null)
                {
                    pending.Push(directory);
                }
                else
                {
                    yield return entry.FullName;
                }
            }
        }
    }
}

/// <summary>A drop entry that is not a regular file (a link, FIFO or device): it is refused unread.</summary>
public sealed class NotRegularFileException(string path, string what)
    : IOException($"{Pipeline.Core.Validation.SubmitterText.Echo(path)} is {what}, not a regular file, so it was not read: copy the file itself into the drop folder.");
