// docs/url-filtering.md: the snippet after the stand-in below, compiled by
// scripts/tests.d/doc-snippets.sh (not run: it reads lists from /etc/childsafe).
let url = CommandLine.arguments.dropFirst().first ?? "http://example.com/"  // a URL from the user

import ChildSafe

let filter = try URLFilter(lists: ["/etc/childsafe/blacklists", "/etc/childsafe/lists.idx"],
                           categories: ["adult", "gambling", "self-harm"])
let verdict = filter.check("https://www.example.com/page")
// verdict.blocked, .category, .list, .rule, .reason ("blocklist", "allowlist", "hashed",
// "homograph", "not_listed", "invalid"), .canonical, .host (the host checked), .error (for "invalid")
let lenient = filter.check(url, allowInvalid: true)   // do not block URLs that cannot be parsed
for warning in filter.warnings { print(warning) }   // bad list lines, as file:line:column
