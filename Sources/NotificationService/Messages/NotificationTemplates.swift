import Foundation
import Mustache

/// The plain-text and HTML template of each ``NotificationKind``, in Mustache.
///
/// The built-in templates are resources of this library (`Templates/<kind>.text.mustache`,
/// `Templates/<kind>.html.mustache`); an operator may copy any of them into a directory of their
/// own, change it, and point `notification.templates-dir` at it. HTML templates escape every value
/// (`{{name}}`); text templates declare `{{% CONTENT_TYPE: TEXT}}` and escape nothing.
struct NotificationTemplates: Sendable {
    let library: MustacheLibrary

    /// Loads the built-in templates, replaced by those of the same name in `overrides`.
    static func load(overrides: String?) async throws -> NotificationTemplates {
        guard let builtIn = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw TemplateError.missing("the built-in templates")
        }
        var library = try await MustacheLibrary(directory: builtIn.path)
        if let overrides {
            let custom = try await MustacheLibrary(directory: overrides)
            for kind in NotificationKind.allCases {
                for part in ["text", "html"] {
                    if let template = custom.getTemplate(named: "\(kind.rawValue).\(part)") {
                        library.register(template, named: "\(kind.rawValue).\(part)")
                    }
                }
            }
        }
        for kind in NotificationKind.allCases {
            for part in ["text", "html"] where library.getTemplate(named: "\(kind.rawValue).\(part)") == nil {
                throw TemplateError.missing("\(kind.rawValue).\(part).mustache")
            }
        }
        return NotificationTemplates(library: library)
    }

    /// Both parts of `kind` with `values`.
    func render(_ kind: NotificationKind, _ values: [String: any Sendable]) throws -> (text: String, html: String) {
        guard let text = library.render(values, withTemplate: "\(kind.rawValue).text"),
            let html = library.render(values, withTemplate: "\(kind.rawValue).html")
        else { throw TemplateError.missing(kind.rawValue) }
        return (text, html)
    }
}

enum TemplateError: Error, CustomStringConvertible {
    case missing(String)
    var description: String {
        switch self {
        case .missing(let what): "no template for \(what)"
        }
    }
}
