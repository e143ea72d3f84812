import Foundation

/// The kinds of picture an admin may upload, told apart by their first bytes, never by a name or
/// a declared type: a file called `x.png` that is not a PNG is refused.
enum ImageType: String, CaseIterable {
    case png = "image/png"
    case jpeg = "image/jpeg"
    case webp = "image/webp"

    /// The type `bytes` begin like, or nil for anything else.
    static func sniff(_ bytes: Data) -> ImageType? {
        let head = [UInt8](bytes.prefix(12))
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head.count == 12, head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("WEBP".utf8) { return .webp }
        return nil
    }
}
