import Foundation

/// The provider's own sign-in page: plain HTML with its own small style, no script, a CSRF token
/// in a hidden field (matched against a cookie), and the authorization request carried along in
/// hidden fields.
enum SignInPage {
    /// The sign-in form for `request`, with `error` above it when the last attempt failed.
    static func form(for request: AuthorizationRequest, csrf: String, email: String = "", error: String? = nil) -> String {
        let hidden = request.parameters.sorted { $0.key < $1.key }
            .map { #"<input type="hidden" name="\#(escape($0.key))" value="\#(escape($0.value))">"# }
            .joined(separator: "\n      ")
        let alert = error.map { #"<p class="error" role="alert" id="sign-in-error">\#(escape($0))</p>"# } ?? ""
        let described = error == nil ? "" : #" aria-describedby="sign-in-error""#
        return page(
            title: "Sign in",
            body: """
                <h1>Sign in to Emporium</h1>
                \(alert)
                <form method="post" action="authorize">
                  <input type="hidden" name="csrf" value="\(escape(csrf))">
                  \(hidden)
                  <label for="email">Email</label>
                  <input id="email" name="email" type="email" autocomplete="username" required value="\(escape(email))"\(described)>
                  <label for="password">Password</label>
                  <input id="password" name="password" type="password" autocomplete="current-password" required\(described)>
                  <button type="submit">Sign in</button>
                </form>
                """)
    }

    /// A page that only says something (an unknown client, a signed-out browser).
    static func message(title: String, _ text: String) -> String {
        page(title: title, body: "<h1>\(escape(title))</h1>\n<p>\(escape(text))</p>")
    }

    private static func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title)) · Emporium accounts</title>
        <style>\(style)</style>
        </head>
        <body>
        <main>
        \(body)
        </main>
        </body>
        </html>
        """
    }

    /// The page's style; the Content-Security-Policy allows exactly this block by its hash.
    static let style =
        "body{font-family:system-ui,sans-serif;background:#f3f5f8;color:#1c2430;margin:0}"
        + "main{max-width:24rem;margin:4rem auto;padding:2rem;background:#fff;border:1px solid #d9dee5;border-radius:8px}"
        + "form{display:flex;flex-direction:column;gap:.5rem}input{font:inherit;padding:.5rem;border:1px solid #d9dee5;border-radius:6px}"
        + "button{font:inherit;font-weight:600;margin-top:.75rem;padding:.6rem;border:0;border-radius:8px;background:#1d4f91;color:#fff}"
        + ".error{color:#b3261e;background:#fbe9e7;padding:.6rem;border-radius:6px}"

    /// Text as HTML: `&`, `<`, `>`, `"` and `'` escaped.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
