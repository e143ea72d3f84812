/// A path a browser may be sent back to after a sign-in or a form, from a `return=` parameter
/// anyone can write: only a path of this site, never another one (`//evil.example`, `\`) nor one
/// that could split a header (a line break).
public enum ReturnPath {
    /// `path` when it is a path of this site under `prefix` (`/` for any), else nil.
    public static func local(_ path: String?, under prefix: String = "/") -> String? {
        guard let path, path.hasPrefix("/"), path.hasPrefix(prefix), !path.hasPrefix("//"), !path.contains("\\"),
            !path.contains(where: \.isNewline)
        else { return nil }
        return path
    }
}
