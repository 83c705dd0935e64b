import Foundation
import Testing
@testable import CourseKit

/// Headless Chromium, to see the feedback page as a browser renders it.
enum Browser {
    /// The first Chromium or Chrome found on the PATH (or at /usr/bin/chromium).
    static let executable: String? = {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin"]
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
            for folder in folders where FileManager.default.isExecutableFile(atPath: folder + "/" + name) {
                return folder + "/" + name
            }
        }
        return nil
    }()

    static var isAvailable: Bool { executable != nil }

    /// Whether a missing browser fails the suite instead of skipping it (`COURSE_REQUIRE_BROWSER=1`).
    static let isRequired = ProcessInfo.processInfo.environment["COURSE_REQUIRE_BROWSER"] == "1"

    /// Runs headless Chromium on `page` with `arguments`, in a profile of its own under `folder`,
    /// and returns what it printed on standard output. A browser still running after `timeout`
    /// seconds is killed with its child processes (`timeout` signals its whole process group).
    static func run(_ arguments: [String], page: URL, in folder: URL, timeout: Int = 60,
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let chromium = try #require(executable, "no Chromium found: install it with `apt-get install chromium`", sourceLocation: sourceLocation)
        let output = folder.appendingPathComponent("browser-output-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        let process = Process()
        let killer = "/usr/bin/timeout"
        let browser = [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                       "--user-data-dir=" + folder.appendingPathComponent("profile").path] + arguments + [page.absoluteString]
        if FileManager.default.isExecutableFile(atPath: killer) {
            process.executableURL = URL(fileURLWithPath: killer)
            process.arguments = ["-k", "5", String(timeout)] + browser
        } else {
            process.executableURL = URL(fileURLWithPath: chromium)
            process.arguments = Array(browser.dropFirst())
        }
        process.standardOutput = handle
        process.standardError = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        if done.wait(timeout: .now() + .seconds(timeout + 10)) == .timedOut {
            process.terminate()
            _ = done.wait(timeout: .now() + .seconds(5))
            Issue.record("Chromium did not finish within \(timeout) s and was stopped", sourceLocation: sourceLocation)
        }
        return try String(contentsOf: output, encoding: .utf8)
    }
}

/// Width and height from a PNG's header (its first chunk, IHDR), nil if `data` is no PNG.
func pngSize(_ data: Data) -> (width: Int, height: Int)? {
    let bytes = [UInt8](data.prefix(24))
    guard bytes.count == 24, bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
          String(decoding: bytes[12..<16], as: UTF8.self) == "IHDR" else { return nil }
    let integer = { (offset: Int) in bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) } }
    return (integer(16), integer(20))
}

@Suite(.enabled(if: Browser.isAvailable || Browser.isRequired), .serialized)
struct BrowserTests {
    /// A folder of its own for each test, removed when the test ends, passed or not.
    func withFolder(_ body: (URL) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try body(folder)
    }

    @Test func theRenderedPageShowsTheReportTheFigureAndNoMarkupFromTheStudent() throws {
        try #require(Browser.isAvailable, "COURSE_REQUIRE_BROWSER=1 but no Chromium is installed: `apt-get install chromium`")
        try withFolder { folder in
            let page = folder.appendingPathComponent("alice.html")
            try BatchReports.html(ReportFixture.alice).write(to: page, atomically: true, encoding: .utf8)
            let dom = try Browser.run(["--dump-dom"], page: page, in: folder)
            #expect(dom.contains("<h1>Feedback for <span class=\"student\">alice</span></h1>"), "\(dom.prefix(500))")
            #expect(dom.contains("7 of 17 points") && dom.contains("mean squared error") && dom.contains("hidden check"))
            #expect(dom.contains("1 check is not shown.") && !dom.contains("INVISIBLE-CHECK") && !dom.contains("SECRET"))
            // The student's markup stayed text: serialised back escaped, never an element.
            #expect(dom.contains("&lt;img src=x onerror=alert(1)&gt;") && !dom.contains("<img"))
            // The figure is an SVG element of the rendered page, with its drawing and without its script.
            #expect(dom.contains("<svg width=\"300\" height=\"120\">") && dom.contains("<circle cx=\"200\""))
            #expect(!dom.contains("<script") && !dom.contains("onload") && !dom.contains("foreignObject"))
        }
    }

    @Test func theScreenshotHasContentAndTheSizeAsked() throws {
        try #require(Browser.isAvailable, "COURSE_REQUIRE_BROWSER=1 but no Chromium is installed: `apt-get install chromium`")
        try withFolder { folder in
            let (width, height) = (900, 1200)
            var sizes: [String: Int] = [:]
            for (name, html) in [("feedback", BatchReports.html(ReportFixture.alice)), ("blank", "<!DOCTYPE html><html><body></body></html>")] {
                let page = folder.appendingPathComponent(name + ".html")
                let picture = folder.appendingPathComponent(name + ".png")
                try html.write(to: page, atomically: true, encoding: .utf8)
                _ = try Browser.run(["--screenshot=" + picture.path, "--window-size=\(width),\(height)", "--hide-scrollbars"], page: page, in: folder)
                let data = try Data(contentsOf: picture)
                let size = try #require(pngSize(data), "\(name).png is not a PNG")
                #expect(size.width == width && size.height == height, "\(name).png is \(size.width) × \(size.height)")
                sizes[name] = data.count
            }
            // A blank page compresses to almost nothing; text, marks and a figure do not.
            let (feedback, blank) = (sizes["feedback"] ?? 0, sizes["blank"] ?? 0)
            #expect(feedback > 20_000 && feedback > 4 * blank, "feedback.png \(feedback) bytes, blank.png \(blank) bytes")
        }
    }
}
