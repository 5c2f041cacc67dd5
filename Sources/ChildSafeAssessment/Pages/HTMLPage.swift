/// Self-contained HTML pages: one file, inline CSS, no scripts, no external requests, readable on
/// a phone and printable. Shared by the risk register and the transparency report.
public enum HTMLPage {
  /// Escapes text for element content and attribute values.
  public static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// A complete document around `body` (already HTML).
  public static func document(title: String, body: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
    <title>\(escape(title))</title>
    <style>
    \(style)
    </style>
    </head>
    <body>
    <main>
    \(body)
    </main>
    </body>
    </html>

    """
  }

  /// A table inside a wrapper that scrolls sideways on narrow screens.
  public static func table(headers: [String], rows: [[String]], numeric: Set<Int> = []) -> String {
    var html = "<div class=\"table\"><table>\n<thead><tr>"
    for (i, header) in headers.enumerated() {
      html += "<th\(numeric.contains(i) ? " class=\"num\"" : "")>\(escape(header))</th>"
    }
    html += "</tr></thead>\n<tbody>\n"
    for row in rows {
      html += "<tr>"
      for (i, cell) in row.enumerated() {
        html += "<td\(numeric.contains(i) ? " class=\"num\"" : "")>\(cell)</td>"
      }
      html += "</tr>\n"
    }
    return html + "</tbody></table></div>\n"
  }

  static let style = """
    :root { color-scheme: light; --ink: #1b1b1b; --muted: #555; --line: #d0d0d0; --accent: #0b5394;
      --vhigh: #8b0000; --high: #b34700; --medium: #7a5c00; --low: #2e6b2e; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
      background: #fff; }
    main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
    h1 { font-size: 1.6rem; line-height: 1.2; margin: 0.5rem 0 1rem; }
    h2 { font-size: 1.25rem; margin: 2rem 0 0.75rem; border-bottom: 2px solid var(--accent); padding-bottom: 0.25rem; }
    h3 { font-size: 1.05rem; margin: 0 0 0.5rem; }
    p, ul { margin: 0.5rem 0; }
    ul { padding-left: 1.25rem; }
    .meta { color: var(--muted); }
    .notice { border-left: 4px solid var(--high); background: #fff6ee; padding: 0.5rem 0.75rem; }
    .table { overflow-x: auto; margin: 0.5rem 0 1rem; }
    table { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
    th, td { border: 1px solid var(--line); padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
    th { background: #f2f4f7; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
    .card { border: 1px solid var(--line); border-radius: 6px; padding: 0.75rem 1rem; margin: 0 0 1rem; }
    .rating { display: inline-block; padding: 0 0.4rem; border-radius: 4px; color: #fff; font-size: 0.85rem; }
    .rating.very-high { background: var(--vhigh); } .rating.high { background: var(--high); }
    .rating.medium { background: var(--medium); } .rating.low { background: var(--low); }
    .gap { color: var(--vhigh); }
    code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.9em;
      overflow-wrap: anywhere; }
    td code { overflow-wrap: normal; }
    @media (max-width: 40rem) { body { font-size: 15px; } main { padding: 0.75rem; } }
    @media print {
      body { font-size: 11pt; }
      main { max-width: none; padding: 0; }
      h2 { break-after: avoid; }
      .card, tr { break-inside: avoid; }
      .table { overflow: visible; }
      a { color: inherit; text-decoration: none; }
    }
    @page { margin: 15mm; }
    """
}

/// Markdown helpers.
public enum Markdown {
  /// Text for a table cell: no line breaks, pipes escaped.
  public static func cell(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "|": out += "\\|"
      case "\n", "\r": out += " "
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  public static func table(headers: [String], rows: [[String]], numeric: Set<Int> = []) -> String {
    var text = "| " + headers.map(cell).joined(separator: " | ") + " |\n"
    text += "|" + headers.indices.map { numeric.contains($0) ? " ---: |" : " --- |" }.joined() + "\n"
    for row in rows { text += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
    return text
  }
}
