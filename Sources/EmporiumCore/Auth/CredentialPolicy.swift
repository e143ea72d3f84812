/// The rules for e-mail addresses and passwords, shared by the User Service (which answers the
/// user) and the identity provider (which must not trust its callers).
public enum CredentialPolicy {
    /// The shortest password accepted (NIST SP 800-63B asks for at least 8).
    public static let minimumPasswordLength = 10
    /// The longest: bcrypt reads only the first 72 bytes, so a longer password would silently
    /// equal its prefix.
    public static let maximumPasswordBytes = 72

    /// Passwords too common to accept whatever their length.
    static let common: Set<String> = [
        "1234567890", "12345678910", "0123456789", "password12", "password123", "password1234", "qwertyuiop",
        "1q2w3e4r5t", "iloveyou12", "abcdefghij", "letmein123", "welcome123", "administrator",
    ]

    /// What is wrong with `password`, or nil if it is acceptable.
    public static func passwordProblem(_ password: String, email: String) -> String? {
        if password.count < minimumPasswordLength { return "must be at least \(minimumPasswordLength) characters long" }
        if password.utf8.count > maximumPasswordBytes { return "must be at most \(maximumPasswordBytes) bytes long" }
        if Set(password).count < 4 { return "must use at least 4 different characters" }
        if common.contains(password.lowercased()) { return "is one of the most common passwords" }
        if password.lowercased() == email.lowercased() || password.lowercased() == email.split(separator: "@").first?.lowercased() {
            return "must not be the email address"
        }
        return nil
    }

    /// What is wrong with `email`, or nil if it looks deliverable: one `@`, a non-empty local
    /// part, a dotted domain, no spaces or control characters, at most 254 characters (RFC 5321).
    public static func emailProblem(_ email: String) -> String? {
        guard email.unicodeScalars.count <= 254 else { return "must be at most 254 characters long" }
        // Unicode scalars, not characters: a combining mark or emoji modifier after "@" or "."
        // would make one character of both, and the document's pattern reads scalars.
        let parts = email.unicodeScalars.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64 else { return "must look like name@example.com" }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }) else { return "must look like name@example.com" }
        guard
            !email.unicodeScalars.contains(where: {
                $0.properties.isWhitespace || InputText.isForbidden($0) || "<>()[],;:\"\\".unicodeScalars.contains($0)
            })
        else {
            return "must not contain spaces, control characters or <>()[],;:\"\\"
        }
        return nil
    }
}
