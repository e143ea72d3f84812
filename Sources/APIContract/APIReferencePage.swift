/// The API reference page (`GET /docs`): the document rendered as HTML by the platform itself,
/// with no script and nothing fetched from elsewhere.
///
/// Operations are grouped by tag, each with who may call it, its parameters, body, responses and
/// links; then every schema with its properties and example; then the problem types and the
/// operations that answer with each.
public struct APIReferencePage: Sendable {
    let document: JSONValue

    /// A page for `document`.
    public init(_ document: APIDocument) {
        self.document = document.value
    }

    /// The whole page.
    public func render() -> String {
        let info = document["info"]
        let title = HTML.escape(info?["title"]?.string ?? "API")
        let version = HTML.escape(info?["version"]?.string ?? "")
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) reference</title>
            <style>\(Self.style)</style>
            </head>
            <body>
            <header><h1>\(title) <small>\(version)</small></h1>
            <p>\(HTML.inline(info?["summary"]?.string ?? "")) The document itself: <a href="/openapi.json">openapi.json</a>, <a href="/openapi.yaml">openapi.yaml</a>.</p></header>
            <nav aria-label="Operations">\(navigation())</nav>
            <main>
            <section aria-labelledby="overview"><h2 id="overview">Overview</h2>\(HTML.prose(info?["description"]?.string))</section>
            \(tags().map(tagSection).joined(separator: "\n"))
            \(schemasSection())
            \(problemTypesSection())
            </main>
            </body>
            </html>
            """
    }

    // MARK: Operations

    struct Operation {
        let method: String
        let path: String
        let item: JSONValue
        let operation: JSONValue
        var id: String { operation["operationId"]?.string ?? "\(method)-\(path)" }
        var anchor: String { "op-" + id }
    }

    private func operations() -> [Operation] {
        document["paths"]?.members.sorted { $0.key < $1.key }.flatMap { path, item in
            ["get", "post", "put", "patch", "delete"].compactMap { method in
                item[method].map { Operation(method: method.uppercased(), path: path, item: item, operation: $0) }
            }
        } ?? []
    }

    private func tags() -> [(name: String, description: String?, operations: [Operation])] {
        let all = operations()
        return document["tags"]?.elements.compactMap { tag in
            guard let name = tag["name"]?.string else { return nil }
            let tagged = all.filter { $0.operation["tags"]?.elements.contains(.string(name)) == true }
            return (name, tag["description"]?.string, tagged)
        } ?? []
    }

    private func navigation() -> String {
        tags().map { tag in
            let links = tag.operations.map { operation in
                ##"<li><a href="#\##(operation.anchor)"><span class="method \##(operation.method.lowercased())">\##(operation.method)</span> \##(HTML.escape(operation.path))</a></li>"##
            }
            return "<h2>\(HTML.escape(tag.name))</h2><ul>\(links.joined())</ul>"
        }.joined() + ##"<h2>Reference</h2><ul><li><a href="#schemas">Schemas</a></li><li><a href="#problem-types">Problem types</a></li></ul>"##
    }

    private func tagSection(_ tag: (name: String, description: String?, operations: [Operation])) -> String {
        let id = "tag-" + tag.name.lowercased()
        return """
            <section aria-labelledby="\(id)"><h2 id="\(id)">\(HTML.escape(tag.name))</h2>\(HTML.prose(tag.description))
            \(tag.operations.map(operationArticle).joined(separator: "\n"))
            </section>
            """
    }

    private func operationArticle(_ operation: Operation) -> String {
        let summary = HTML.escape(operation.operation["summary"]?.string ?? "")
        return """
            <article id="\(operation.anchor)" aria-labelledby="\(operation.anchor)-title">
            <h3 id="\(operation.anchor)-title"><span class="method \(operation.method.lowercased())">\(operation.method)</span> <code>\(HTML.escape(operation.path))</code> — \(summary)</h3>
            <p class="access">\(access(of: operation)) · <code>operationId: \(HTML.escape(operation.id))</code></p>
            \(HTML.prose(operation.operation["description"]?.string))
            \(parametersTable(operation))
            \(requestBody(operation))
            \(responsesTable(operation))
            \(linksList(operation))
            </article>
            """
    }

    private func access(of operation: Operation) -> String {
        let security = operation.operation["security"] ?? document["security"]
        if security?.elements.contains(.object([:])) == true { return "Anyone may call it" }
        switch operation.operation["x-emporium-access"]?.string {
        case "admin": return "Admins only (a bearer token with the <code>admin</code> role)"
        default: return "Any signed-in user (a bearer token)"
        }
    }

    private func parametersTable(_ operation: Operation) -> String {
        let parameters = (operation.item["parameters"]?.elements ?? []) + (operation.operation["parameters"]?.elements ?? [])
        guard !parameters.isEmpty else { return "" }
        let rows = parameters.map(resolve).map { parameter in
            let required = parameter["required"] == .bool(true) ? "required" : "optional"
            return "<tr><td><code>\(HTML.escape(parameter["name"]?.string ?? ""))</code></td><td>\(HTML.escape(parameter["in"]?.string ?? ""))</td>"
                + "<td>\(required)</td><td>\(SchemaSummary.html(parameter["schema"]))</td><td>\(HTML.prose(parameter["description"]?.string))</td></tr>"
        }
        return "<h4>Parameters</h4><table><thead><tr><th>Name</th><th>In</th><th>Required</th><th>Schema</th><th>Description</th></tr></thead><tbody>"
            + rows.joined() + "</tbody></table>"
    }

    private func requestBody(_ operation: Operation) -> String {
        guard let body = operation.operation["requestBody"].map(resolve) else { return "" }
        let contents = body["content"]?.members.sorted { $0.key < $1.key }.map { mediaType, content in
            "<p><code>\(HTML.escape(mediaType))</code>: \(SchemaSummary.html(content["schema"]))</p>" + example(of: content)
        }
        return "<h4>Request body</h4>" + (contents ?? []).joined()
    }

    private func example(of content: JSONValue) -> String {
        if let example = content["example"] { return "<pre>\(HTML.escape(JSONText.pretty(example)))</pre>" }
        if let first = content["examples"]?.members.sorted(by: { $0.key < $1.key }).first, let value = first.value["value"] {
            return "<p>Example, \(HTML.escape(first.value["summary"]?.string ?? first.key)):</p><pre>\(HTML.escape(JSONText.pretty(value)))</pre>"
        }
        if let reference = content["schema"]?["$ref"]?.string, let example = schema(named: reference)?["example"] {
            return "<pre>\(HTML.escape(JSONText.pretty(example)))</pre>"
        }
        return ""
    }

    private func responsesTable(_ operation: Operation) -> String {
        let responses = operation.operation["responses"]?.members.sorted { $0.key < $1.key } ?? []
        let rows = responses.map { status, response in
            let resolved = resolve(response)
            let headers = resolved["headers"]?.members.keys.sorted().map { "<code>\(HTML.escape($0))</code>" }.joined(separator: ", ") ?? ""
            let bodies =
                resolved["content"]?.members.sorted { $0.key < $1.key }.map { mediaType, content in
                    "<code>\(HTML.escape(mediaType))</code> \(SchemaSummary.html(content["schema"]))"
                }.joined(separator: "<br>") ?? ""
            return
                "<tr><td><strong>\(HTML.escape(status))</strong></td><td>\(HTML.prose(resolved["description"]?.string))</td><td>\(bodies)</td><td>\(headers)</td></tr>"
        }
        return "<h4>Responses</h4><table><thead><tr><th>Status</th><th>Meaning</th><th>Body</th><th>Headers</th></tr></thead><tbody>"
            + rows.joined() + "</tbody></table>"
    }

    private func linksList(_ operation: Operation) -> String {
        let links = operation.operation["responses"]?.members.values.flatMap { $0["links"]?.members.sorted { $0.key < $1.key } ?? [] } ?? []
        guard !links.isEmpty else { return "" }
        let items = links.map { name, link in
            let target = link["operationId"]?.string ?? ""
            return ##"<li><code>\##(HTML.escape(name))</code>: then <a href="#op-\##(HTML.escape(target))">\##(HTML.escape(target))</a></li>"##
        }
        return "<h4>Links</h4><ul>\(items.joined())</ul>"
    }

    // MARK: Schemas and problems

    private func schemasSection() -> String {
        let schemas = document["components"]?["schemas"]?.members.sorted { $0.key < $1.key } ?? []
        let sections = schemas.map { name, schema in
            let anchor = "schema-" + HTML.escape(name)
            return """
                <section id="\(anchor)" aria-labelledby="\(anchor)-title"><h3 id="\(anchor)-title">\(HTML.escape(name))</h3>
                \(HTML.prose(schema["description"]?.string))\(propertiesTable(schema))\(schema["example"].map { "<pre>\(HTML.escape(JSONText.pretty($0)))</pre>" } ?? "")
                </section>
                """
        }
        return #"<section aria-labelledby="schemas"><h2 id="schemas">Schemas</h2>"# + sections.joined(separator: "\n") + "</section>"
    }

    private func propertiesTable(_ schema: JSONValue) -> String {
        let parts = [schema] + (schema["allOf"]?.elements ?? [])
        let properties = parts.flatMap { $0["properties"]?.members.sorted { $0.key < $1.key } ?? [] }
        guard !properties.isEmpty else { return "<p>\(SchemaSummary.html(schema))</p>" }
        let required = Set(parts.flatMap { $0["required"]?.elements.compactMap(\.string) ?? [] })
        let rows = properties.map { name, property in
            "<tr><td><code>\(HTML.escape(name))</code></td><td>\(SchemaSummary.html(property))</td><td>\(required.contains(name) ? "required" : "optional")</td>"
                + "<td>\(HTML.prose(property["description"]?.string))</td></tr>"
        }
        let references = (schema["allOf"]?.elements ?? []).compactMap { $0["$ref"]?.string }.map(SchemaSummary.link)
        let inherits = references.isEmpty ? "" : "<p>With the members of \(references.joined(separator: ", ")).</p>"
        return inherits + "<table><thead><tr><th>Member</th><th>Schema</th><th>Required</th><th>Description</th></tr></thead><tbody>"
            + rows.joined() + "</tbody></table>"
    }

    private func problemTypesSection() -> String {
        let types = schema(named: "Problem")?["properties"]?["type"]?["enum"]?.elements.compactMap(\.string) ?? []
        let all = operations()
        let rows = types.map { type in
            let slug = String(type.split(separator: ":").last ?? "")
            let users = all.filter { operation in
                operation.operation["responses"]?.members.values.contains { resolve($0)["description"]?.string?.contains("`\(slug)`") == true }
                    == true
            }
            let links = users.map { ##"<a href="#\##($0.anchor)">\##(HTML.escape($0.id))</a>"## }.joined(separator: ", ")
            return "<tr><td><code>\(HTML.escape(type))</code></td><td>\(links.isEmpty ? "any operation" : links)</td></tr>"
        }
        return #"<section aria-labelledby="problem-types"><h2 id="problem-types">Problem types</h2>"#
            + HTML.prose(schema(named: "Problem")?["description"]?.string)
            + "<table><thead><tr><th>Type</th><th>Answered by</th></tr></thead><tbody>\(rows.joined())</tbody></table></section>"
    }

    // MARK: References

    private func resolve(_ value: JSONValue) -> JSONValue {
        guard let reference = value["$ref"]?.string, reference.hasPrefix("#/") else { return value }
        var target: JSONValue? = document
        for part in reference.dropFirst(2).split(separator: "/") { target = target?[String(part)] }
        return target ?? value
    }

    private func schema(named reference: String) -> JSONValue? {
        let name = reference.split(separator: "/").last.map(String.init) ?? reference
        return document["components"]?["schemas"]?[name]
    }

    private static let style = """
        body{font:15px/1.5 system-ui,sans-serif;margin:0;display:grid;grid-template-columns:18rem 1fr;color:#1d1d1f}
        header{grid-column:1/3;padding:1rem 2rem;background:#12355b;color:#fff}header a{color:#cfe3ff}
        nav{padding:1rem;border-right:1px solid #ddd;font-size:13px;position:sticky;top:0;align-self:start;max-height:100vh;overflow:auto}
        nav h2{font-size:13px;text-transform:uppercase;margin:1rem 0 .25rem}nav ul{list-style:none;padding:0;margin:0}nav a{text-decoration:none;color:#12355b}
        main{padding:1rem 2rem;max-width:72rem}article{border-top:1px solid #ddd;padding:.5rem 0 1rem}
        table{border-collapse:collapse;width:100%;font-size:13px}th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
        td p{margin:0}code{font-size:12px;background:#f3f4f6;padding:0 .2rem}pre{background:#f3f4f6;padding:.5rem;overflow:auto;font-size:12px}
        .method{display:inline-block;min-width:3.5rem;font:bold 12px monospace;color:#fff;background:#555;text-align:center;border-radius:3px}
        .get{background:#1f6feb}.post{background:#1a7f37}.patch{background:#9a6700}.delete{background:#cf222e}.put{background:#8250df}
        .access{color:#555;font-size:13px}
        """
}
