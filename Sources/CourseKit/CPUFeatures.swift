import Foundation

/// The compiler flags that let the toolkit's kernels use this CPU's vector units.
///
/// Without a CPU target, x86_64 code is compiled for the baseline (SSE2), and the matmul kernel
/// runs ~2.5× slower than with AVX2 and FMA. `course` builds workspaces with
/// `-target-cpu native` when the CPU has AVX2 and FMA; on arm64 the baseline already has NEON.
/// `COURSE_CPU_FLAGS=0` turns the flags off.
public enum CPUFeatures {
    public static var swiftcFlags: [String] {
        if ProcessInfo.processInfo.environment["COURSE_CPU_FLAGS"] == "0" { return [] }
        #if arch(x86_64) && os(Linux)
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagsLine = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return [] }
        let flags = Set(flagsLine.split(separator: " ").map(String.init))
        return flags.contains("avx2") && flags.contains("fma") ? ["-target-cpu", "native"] : []
        #else
        return []
        #endif
    }
}
