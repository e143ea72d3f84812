import Contracts
import EmporiumCore
import Foundation

/// The back office's form that adds a picture to a product: the file, and what it shows. What
/// is wrong with either shows beside it; the catalog decides whether the bytes are a picture.
struct PictureForm: Sendable {
    /// The types the file chooser offers; the catalog reads the bytes, whatever the chooser allowed.
    static let accepted = "image/png,image/jpeg,image/webp"

    private(set) var fields: [FormField]

    /// An empty form, or one showing the `alt` text that was sent with it.
    init(alt: String = "") {
        fields = [
            FormField(
                name: "picture", label: "Picture", value: "", autocomplete: "off", isRequired: true,
                hint: "A PNG, JPEG or WebP image of at most \(ProductImage.maxBytes / (1024 * 1024)) MiB.", type: "file",
                accept: Self.accepted, form: "picture"),
            FormField(
                name: "alt", label: "What the picture shows", value: alt, autocomplete: "off", isRequired: true,
                hint: "For people who cannot see it, such as “The skillet from above, on a wooden board”.", form: "picture"),
        ]
    }

    /// Whether any field has an error.
    var hasErrors: Bool { fields.contains { $0.error != nil } }

    /// The picture's description as typed, trimmed.
    var alt: String { fields.first { $0.name == "alt" }?.value.trimmingWhitespace ?? "" }

    /// Checks what the storefront can tell before the catalog sees the picture: that there is a
    /// file, that it is not over the limit, that it is described. Returns the bytes when all hold.
    mutating func check(_ file: MultipartForm.Part?) -> Data? {
        if alt.isEmpty { mark("alt", "Say what the picture shows, for people who cannot see it.") }
        guard let file, !file.bytes.isEmpty else {
            mark("picture", "Choose the picture to add: a PNG, JPEG or WebP file.")
            return nil
        }
        guard file.bytes.count <= ProductImage.maxBytes else {
            let size = String(format: "%.1f", Double(file.bytes.count) / (1024 * 1024))
            mark("picture", "This file is \(size) MiB; a picture may be at most \(ProductImage.maxBytes / (1024 * 1024)) MiB.")
            return nil
        }
        return hasErrors ? nil : file.bytes
    }

    /// Puts the catalog's refusal beside its field: the description's, or else the picture's. The
    /// API speaks of a request's body; beside a file chooser, it is the file.
    mutating func accept(_ problem: APIProblem) {
        if problem.field == "alt" {
            mark("alt", problem.detail)
        } else if problem.status == 415 {
            mark("picture", "This file is not a PNG, JPEG or WebP picture, whatever its name says: the shop reads its bytes.")
        } else {
            mark("picture", problem.detail)
        }
    }

    private mutating func mark(_ name: String, _ error: String) {
        guard let index = fields.firstIndex(where: { $0.name == name }) else { return }
        fields[index].error = error
    }
}
