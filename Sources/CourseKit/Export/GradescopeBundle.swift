import Foundation

/// The Gradescope autograder bundle (`course export gradescope OUT.zip`): the zip an instructor
/// uploads as a programming assignment's autograder. Gradescope unpacks it into
/// `/autograder/source`, runs `setup.sh` once to build its image, then `run_autograder` for every
/// submission.
///
///     setup.sh          installs Swift 6.3.1 into /opt/swift and builds `course` from toolkit/
///     run_autograder    grades /autograder/submission with `course grade --submissions`
///     toolkit/          the student kit of the lessons chosen (graders, no solutions)
///     hidden/           the instructor's hidden graders (--graders), when given
///
/// Each check's points and visibility come from the batch grade itself (hidden checks after the
/// due date unless `hidden/visibility.json` says otherwise).
public struct GradescopeBundle {
    public let kit: StudentKit
    /// The instructor's hidden graders: `DIR/<lesson>/*.swift` (and `visibility.json`).
    public let hiddenGraders: URL?

    /// The Swift release installed (Gradescope's default image is Ubuntu 22.04).
    public static let swiftRelease = "6.3.1"
    /// The student's id in the batch: the folder the submission is copied into.
    public static let student = "student"

    public init(kit: StudentKit, hiddenGraders: URL?) {
        self.kit = kit
        self.hiddenGraders = hiddenGraders
    }

    /// An entry of the zip.
    public struct Entry {
        public let path: String
        public let data: Data
        public let mode: UInt16
    }

    /// `setup.sh`: Swift's prerequisites, the toolchain, and a debug build of `course`.
    public var setupScript: String {
        let release = "swift-\(Self.swiftRelease)-RELEASE"
        return """
            #!/usr/bin/env bash
            # Gradescope runs this once, as root, while building the autograder's image (Ubuntu 22.04).
            # Written by `course export gradescope`.
            set -euo pipefail
            export DEBIAN_FRONTEND=noninteractive
            # Swift's prerequisites on Ubuntu 22.04 (swift.org's list), and curl to download it.
            apt-get update
            apt-get install -y --no-install-recommends binutils ca-certificates curl git gnupg2 libc6-dev \\
                libcurl4-openssl-dev libedit2 libgcc-11-dev libncurses-dev libpython3-dev libsqlite3-0 \\
                libstdc++-11-dev libxml2-dev libz3-dev pkg-config tzdata unzip zlib1g-dev
            curl -fsSL -o /tmp/swift.tar.gz \\
                "https://download.swift.org/swift-\(Self.swiftRelease)-release/ubuntu2204/\(release)/\(release)-ubuntu22.04.tar.gz"
            mkdir -p /opt/swift
            tar -xzf /tmp/swift.tar.gz -C /opt/swift --strip-components=1
            rm /tmp/swift.tar.gz
            export PATH=/opt/swift/usr/bin:$PATH
            swift --version
            # The grading tool, in debug (the numerics it grades with are optimised regardless).
            swift build --package-path /autograder/source/toolkit --product course

            """
    }

    /// `run_autograder`: one submission graded as the class of one student, its Gradescope
    /// results copied out; if grading broke before writing them, a score of 0 with the log's end.
    public var runScript: String {
        let lessons = kit.lessons.map(\.id).joined(separator: " ")
        let hidden = hiddenGraders == nil ? "" : " --graders /autograder/source/hidden"
        let results = "/tmp/report/gradescope/\(BatchReports.fileName(for: Self.student))/results.json"
        return """
            #!/usr/bin/env bash
            # Gradescope runs this for every submission. Written by `course export gradescope`.
            set -uo pipefail
            export PATH=/opt/swift/usr/bin:$PATH
            export COURSE_TOOLKIT=/autograder/source/toolkit
            course=/autograder/source/toolkit/.build/debug/course
            log=/tmp/grade.log
            mkdir -p /autograder/results
            rm -rf /tmp/subs /tmp/report
            mkdir -p /tmp/subs/\(Self.student)
            cp -R /autograder/submission/. /tmp/subs/\(Self.student)/
            "$course" grade \(lessons) --submissions /tmp/subs --report /tmp/report\(hidden) >"$log" 2>&1
            status=$?
            cat "$log"
            if [ -f \(results) ]; then
                cp \(results) /autograder/results/results.json
            else
                # No results: the grading itself failed. Score 0, and the log's end for the instructor.
                tail_text=$(tail -n 40 "$log" | iconv -c -f UTF-8 -t UTF-8 | tr -d '\\000-\\010\\013-\\037' \\
                    | sed -e 's/\\\\/\\\\\\\\/g' -e 's/"/\\\\"/g' -e 's/\\t/\\\\t/g' | awk '{ printf "%s\\\\n", $0 }')
                printf '{"score": 0, "output": "Grading failed (course exited with status %s) before any result was written. This is not a verdict on your code: tell your instructor. The end of the log:\\\\n%s"}\\n' \\
                    "$status" "$tail_text" > /autograder/results/results.json
            fi

            """
    }

    /// Every entry of the bundle, scripts first.
    public func entries() throws -> [Entry] {
        var entries = [Entry(path: "setup.sh", data: Data(setupScript.utf8), mode: 0o755),
                       Entry(path: "run_autograder", data: Data(runScript.utf8), mode: 0o755)]
        let root = kit.toolkit.root
        for path in kit.files() {
            entries.append(Entry(path: "toolkit/" + path, data: try Data(contentsOf: root.appendingPathComponent(path)),
                                 mode: Self.mode(of: root.appendingPathComponent(path))))
        }
        if let hidden = hiddenGraders {
            for path in Self.regularFiles(in: hidden) {
                entries.append(Entry(path: "hidden/" + path, data: try Data(contentsOf: hidden.appendingPathComponent(path)), mode: 0o644))
            }
        }
        return entries
    }

    /// Writes the bundle to `file`, which must not exist. - Returns: the entries written.
    @discardableResult
    public func write(to file: URL) throws -> [Entry] {
        guard !FileManager.default.fileExists(atPath: file.path) else {
            throw CourseError("\(file.path) already exists; an export never overwrites. Name a new file, or delete that one first.")
        }
        let entries = try entries()
        var zip = ZipWriter()
        for entry in entries { zip.add(path: entry.path, data: entry.data, mode: entry.mode) }
        try zip.write(to: file)
        return entries
    }

    /// 0o755 for an executable file, else 0o644.
    static func mode(of file: URL) -> UInt16 {
        FileManager.default.isExecutableFile(atPath: file.path) ? 0o755 : 0o644
    }

    /// The regular files under `folder`, relative and sorted; hidden entries and links left out.
    static func regularFiles(in folder: URL) -> [String] {
        let fm = FileManager.default
        var found: [String] = []
        func walk(_ relative: String) {
            let url = relative.isEmpty ? folder : folder.appendingPathComponent(relative)
            for name in ((try? fm.contentsOfDirectory(atPath: url.path)) ?? []).sorted() where !name.hasPrefix(".") {
                let path = relative.isEmpty ? name : relative + "/" + name
                let type = (try? fm.attributesOfItem(atPath: url.appendingPathComponent(name).path))?[.type] as? FileAttributeType
                if type == .typeDirectory { walk(path) } else if type == .typeRegular { found.append(path) }
            }
        }
        walk("")
        return found
    }
}
