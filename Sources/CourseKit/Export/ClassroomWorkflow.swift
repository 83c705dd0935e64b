import Foundation

/// The GitHub Classroom autograding workflow (`course export github-classroom`): written to
/// `.github/workflows/classroom.yml` of the assignment's template repository, which is a student
/// workspace made by `course init`.
///
/// One job in the `swift` container image: it checks the workspace out, clones and builds the
/// toolkit's `course`, then runs one `education/autograding-command-grader` step per lesson
/// (`course grade NN`, worth the lesson's total points) and reports them all with
/// `education/autograding-grading-reporter`. A command-grader step scores all or nothing: its
/// points when the command exits 0, which `course grade` does only when every check passes.
public struct ClassroomWorkflow {
    public let toolkit: Toolkit
    public let lessons: [Lesson]
    /// Where the workflow clones the toolkit from (git URL).
    public let toolkitURL: String
    /// The container image with the Swift toolchain.
    public var image = "swift:6.3.1"
    /// Minutes each lesson's step may run (its first build compiles the toolkit's NeuralKit).
    public var timeoutMinutes = 30

    /// The URL written when the instructor gives none: the workflow fails until it is edited.
    public static let placeholderURL = "https://github.com/YOUR-ORGANISATION/YOUR-TOOLKIT-COPY.git"

    public init(toolkit: Toolkit, lessons: [Lesson], toolkitURL: String?) {
        self.toolkit = toolkit
        self.lessons = lessons
        self.toolkitURL = toolkitURL ?? Self.placeholderURL
    }

    /// The grader step's id for `lesson`, e.g. `lesson00`; the reporter reads `LESSON00_RESULTS`.
    public static func stepID(_ lesson: Lesson) -> String { "lesson" + lesson.id }

    /// The workflow file's text.
    public var text: String {
        var steps = ""
        for lesson in lessons {
            steps += """
                      - name: \(quoted("Lesson \(lesson.id): \(lesson.title)"))
                        id: \(Self.stepID(lesson))
                        uses: education/autograding-command-grader@v1
                        with:
                          test-name: \(quoted("\(lesson.id) \(lesson.title)"))
                          setup-command: ''
                          command: \(quoted("course -C \"${GITHUB_WORKSPACE:-.}\" grade \(lesson.id)"))
                          timeout: \(timeoutMinutes)
                          max-score: \(toolkit.totalPoints(of: lesson))

                """
        }
        let environment = lessons.map {
            "          \(Self.stepID($0).uppercased())_RESULTS: \"${{ steps.\(Self.stepID($0)).outputs.result }}\""
        }.joined(separator: "\n")
        let placeholderNote = toolkitURL == Self.placeholderURL
            ? "\n# EDIT TOOLKIT_URL below: it is a placeholder, and the workflow fails until it names your copy of the toolkit."
            : ""
        return """
            # GitHub Classroom autograding, written by `course export github-classroom`.
            # This repository is a student workspace (made by `course init`); the toolkit is cloned
            # and built here, then each lesson is graded by `course grade NN`.
            #
            # All or nothing per lesson: a grader step earns its max-score (the sum of the lesson's
            # `.points(n)`) only when `course grade NN` exits 0, i.e. when every check passes. The
            # per-check points show in the step's log; for partial credit use Gradescope
            # (`course export gradescope`) or `course grade --submissions`.\(placeholderNote)
            name: Autograding Tests
            'on':
              - push
              - workflow_dispatch
              - repository_dispatch
            permissions:
              checks: write
              actions: read
              contents: read
            jobs:
              run-autograding-tests:
                runs-on: ubuntu-latest
                if: github.actor != 'github-classroom[bot]'
                container: \(image)
                steps:
                  - name: Check out the workspace
                    uses: actions/checkout@v4
                  - name: Build the course toolkit
                    env:
                      TOOLKIT_URL: \(toolkitURL)
                    run: |
                      git clone --depth 1 "$TOOLKIT_URL" /opt/course-toolkit
                      swift build --package-path /opt/course-toolkit --product course
                      echo /opt/course-toolkit/.build/debug >> "$GITHUB_PATH"
                      # .course/ is not committed (.gitignore): mark the checkout as a workspace again.
                      mkdir -p .course
                      [ -f .course/workspace.json ] || echo '{}' > .course/workspace.json
            \(steps)      - name: Autograding Reporter
                    uses: education/autograding-grading-reporter@v1
                    env:
            \(environment)
                    with:
                      runners: \(lessons.map(Self.stepID).joined(separator: ","))

            """
    }

    /// A YAML single-quoted scalar.
    func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
}
