import Foundation

extension BatchReports {
    /// The feedback page for one student: a single self-contained HTML file, to be opened from
    /// disk or sent by mail, that loads nothing and runs nothing.
    ///
    /// It shows the student's id and total, the submission's problems, and per lesson a heading
    /// with earned / possible points, the lesson's problems, every check (✔ or ✘, title, points,
    /// status, messages in `<pre>`) and the lesson's figures. Checks of the instructor's hidden
    /// graders (`isHidden`) show their title and status only, marked "hidden check"; checks whose
    /// visibility is `.hidden` are not shown at all, only counted ("2 checks are not shown").
    ///
    /// Safety: every text is escaped (a message quoting `<img src=x onerror=…>` shows it as text);
    /// figures are inlined after `SVGSanitizer` removed scripts, event handlers, external links and
    /// foreign objects; the style sheet is inline and names no URL; and the page's content security
    /// policy (`default-src 'none'`) forbids scripts and every load besides.
    /// - Parameter student: the student's report.
    public static func html(_ student: StudentReport) -> String {
        let e = { (text: String) in Markup.escape(text) }
        var page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <title>Feedback · \(e(student.student))</title>
        <style>\(FeedbackPage.style)</style>
        </head>
        <body>
        <main>
        <header>
        <h1>Feedback for <span class="student">\(e(student.student))</span></h1>
        <p class="total">Total: <strong>\(student.earned) of \(student.possible) points</strong></p>
        <p class="about">Graded \(e(FeedbackPage.date(student.gradedAt))) from \(e(student.submission)).</p>
        </header>

        """
        if !student.problems.isEmpty {
            page += "<section class=\"problems\">\n<h2>Problems with the submission</h2>\n"
            page += FeedbackPage.list(student.problems) + "</section>\n"
        }
        for lesson in student.lessons {
            page += FeedbackPage.section(lesson)
        }
        return page + "</main>\n</body>\n</html>\n"
    }
}

/// The parts of the feedback page.
enum FeedbackPage {
    /// One lesson: heading with its points, problems, checks, the count of checks not shown, figures.
    static func section(_ lesson: LessonReport) -> String {
        let e = { (text: String) in Markup.escape(text) }
        var html = "<section class=\"lesson\">\n"
        html += "<h2>\(e(lesson.lessonID)) · \(e(lesson.title)) <span class=\"score\">\(lesson.earned) / \(lesson.possible)</span></h2>\n"
        if lesson.voided {
            html += "<p class=\"voided\">This lesson earns no points because of the problems below.</p>\n"
        }
        if !lesson.problems.isEmpty {
            html += "<div class=\"problems\">\n" + list(lesson.problems) + "</div>\n"
        }
        let shown = lesson.checks.filter { $0.visibility != .hidden }
        if !shown.isEmpty {
            html += "<ol class=\"checks\">\n"
            for check in shown { html += item(check, voided: lesson.voided) }
            html += "</ol>\n"
        }
        let notShown = lesson.checks.count - shown.count
        if notShown > 0 {
            html += "<p class=\"not-shown\">\(notShown) \(notShown == 1 ? "check is" : "checks are") not shown.</p>\n"
        }
        for (n, figure) in lesson.figures.enumerated() {
            // Ids made unique on the page: "figure-03-1-plot-area".
            let svg = SVGSanitizer.sanitize(figure.svg, idPrefix: "figure-\(BatchReports.fileName(for: lesson.lessonID))-\(n + 1)-")
            html += "<figure>\n\(svg)\n<figcaption>\(e(figure.name))</figcaption>\n</figure>\n"
        }
        return html + "</section>\n"
    }

    /// One check: mark, title, points, status; its messages unless it is a hidden grader's.
    static func item(_ check: CheckReport, voided: Bool) -> String {
        let e = { (text: String) in Markup.escape(text) }
        let earned = voided ? 0 : check.earned
        var html = "<li class=\"check \(check.passed ? "passed" : "failed")\">"
        html += "<span class=\"mark\">\(check.passed ? "✔" : "✘")</span> "
        html += "<span class=\"title\">\(e(check.title))</span> "
        html += "<span class=\"points\">\(earned) / \(check.points)</span> "
        html += "<span class=\"status\">\(BatchReports.describe(check.status))</span>"
        if check.isHidden {
            html += " <span class=\"hidden-check\">hidden check</span>"
        } else if !check.messages.isEmpty {
            html += "\n<pre>\(e(check.messages.joined(separator: "\n")))</pre>"
        }
        return html + "</li>\n"
    }

    static func list(_ items: [String]) -> String {
        "<ul>\n" + items.map { "<li>\(Markup.escape($0))</li>\n" }.joined() + "</ul>\n"
    }

    /// "2026-11-30 19:33 UTC"
    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }

    /// The page's style sheet: system fonts, no URL.
    static let style = """

    body { margin: 0; background: #f6f7f9; color: #1d2330; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
    main { max-width: 880px; margin: 0 auto; padding: 24px 20px 48px; }
    header { border-bottom: 2px solid #d9dde5; margin-bottom: 16px; }
    h1 { font-size: 1.6em; margin: 0 0 4px; }
    h2 { font-size: 1.2em; margin: 0 0 8px; display: flex; justify-content: space-between; gap: 12px; }
    .total { font-size: 1.2em; margin: 4px 0; }
    .about { color: #5b6475; margin: 0 0 12px; font-size: .9em; }
    section { background: #fff; border: 1px solid #d9dde5; border-radius: 8px; padding: 16px 20px; margin: 16px 0; }
    section.problems, .problems { border-left: 4px solid #c4391d; }
    div.problems { padding-left: 8px; margin: 8px 0; }
    .voided { color: #c4391d; font-weight: 600; }
    .score { color: #5b6475; font-weight: 600; white-space: nowrap; }
    ol.checks { list-style: none; padding: 0; margin: 0; }
    li.check { padding: 6px 0; border-top: 1px solid #eceef2; }
    .mark { display: inline-block; width: 1.4em; font-weight: 700; }
    .passed .mark { color: #1f8a3b; }
    .failed .mark { color: #c4391d; }
    .points, .status { color: #5b6475; font-size: .9em; margin-left: 6px; }
    .hidden-check { font-size: .8em; background: #eceef2; border-radius: 4px; padding: 1px 6px; margin-left: 6px; }
    pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f7f9; border-radius: 6px; padding: 8px 10px; margin: 6px 0 4px 1.4em; font-size: .85em; }
    .not-shown { color: #5b6475; font-style: italic; }
    figure { margin: 16px 0 0; }
    figure svg { max-width: 100%; height: auto; display: block; background: #fff; }
    figcaption { color: #5b6475; font-size: .9em; }

    """
}
