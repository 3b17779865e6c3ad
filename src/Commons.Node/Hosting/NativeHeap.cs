using System.Runtime.InteropServices;

namespace Commons.Node.Hosting;

/// <summary>
/// Gives the C library's free heap pages back to the system. glibc's malloc keeps freed memory in its heap for reuse, and
/// after the start that is ~4–5 MiB: mostly the JIT's work memory for the start's methods (bench/README.md, s9-memory).
/// <c>malloc_trim</c> releases every whole free page. It exists in glibc only, so elsewhere (another OS, musl) this does
/// nothing. No package exposes it; the declaration is ours.
/// </summary>
internal static class NativeHeap
{
    /// <summary>True when pages were given back, false when there were none; null where the C library has no trim.</summary>
    public static bool? Trim()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            return MallocTrim(0) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    // DllImport, not LibraryImport: this blittable signature needs no marshalling, and LibraryImport would need unsafe code.
    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
