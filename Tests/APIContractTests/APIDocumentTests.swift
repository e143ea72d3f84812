import Foundation
import Testing

@testable import APIContract

/// The document as a reader and the tools read it: complete operations, references that
/// resolve, and the reference page naming every operation.
@Suite(.timeLimit(.minutes(1))) struct APIDocumentTests {
    let document = APIDocument.bundled

    @Test func everyOperationHasAnIdASummaryATagAndASuccess() throws {
        let tags = Set(document.value["tags"]?.elements.compactMap { $0["name"]?.string } ?? [])
        var ids = Set<String>()
        for (method, path) in document.operations {
            let operation = try #require(document.value["paths"]?[path]?[method.lowercased()])
            let id = try #require(operation["operationId"]?.string, "\(method) \(path)")
            #expect(ids.insert(id).inserted, "\(id) is used twice")
            #expect(operation["summary"]?.string?.isEmpty == false, "\(id)")
            #expect(operation["tags"]?.elements.compactMap(\.string).allSatisfy(tags.contains) == true, "\(id)")
            let statuses = operation["responses"]?.members.keys.map { $0 } ?? []
            #expect(statuses.contains { $0.hasPrefix("2") }, "\(id) has no success")
        }
        #expect(ids.count == document.operations.count && ids.count > 20)
    }

    @Test func everyReferenceResolves() {
        var references: [String] = []
        func collect(_ value: JSONValue) {
            switch value {
            case .object(let members):
                if let reference = members["$ref"]?.string { references.append(reference) }
                members.values.forEach(collect)
            case .array(let elements): elements.forEach(collect)
            default: break
            }
        }
        collect(document.value)
        #expect(references.count > 100)
        for reference in references {
            var target: JSONValue? = document.value
            for part in reference.dropFirst(2).split(separator: "/") { target = target?[String(part)] }
            #expect(reference.hasPrefix("#/") && target != nil, "\(reference)")
        }
    }

    @Test func theJSONIsTheYAMLReadWithItsScalarsTyped() throws {
        let json = try #require(try JSONSerialization.jsonObject(with: document.json) as? [String: Any])
        #expect(json["openapi"] as? String == "3.1.0")
        // A quoted number stays text, and an anchor is written out where it is used.
        let address = document.value["components"]?["schemas"]?["PostalAddress"]
        #expect(address?["example"]?["postalCode"] == .string("10117"))
        let text = document.value["components"]?["schemas"]?["Text"]?["pattern"]
        #expect(text != nil && document.value["components"]?["schemas"]?["NewProduct"]?["properties"]?["name"]?["pattern"] == text)
    }

    @Test func theReferencePageNamesEveryOperationAndEscapesText() throws {
        let page = APIReferencePage(document).render()
        for (method, path) in document.operations {
            let id = try #require(document.value["paths"]?[path]?[method.lowercased()]?["operationId"]?.string)
            #expect(page.contains(#"id="op-\#(id)""#), "\(id)")
        }
        #expect(HTML.escape(#"<script>alert("x")</script>"#) == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")
        #expect(!page.contains("<script"))
    }
}
