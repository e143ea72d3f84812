import Testing

@testable import EmporiumCore

/// The e-mail and password rules, read as the OpenAPI document's patterns read them: by
/// Unicode scalar, so that what the document calls valid the service accepts.
@Suite(.timeLimit(.minutes(1))) struct CredentialPolicyTests {
    @Test(arguments: [
        "ada@example.com", "first.last+tag@mail.example.co.uk",
        // An emoji modifier right after "@" joins it into one character; as scalars it is a domain label (found by schemathesis).
        "a@\u{1F3FB}z.example", "b@e\u{301}x.example",
    ])
    func addressesThatLookDeliverableAreAccepted(email: String) {
        #expect(CredentialPolicy.emailProblem(email) == nil)
    }

    @Test(arguments: [
        "no-at-sign", "a@b", "@example.com", "a@.example.com", "a@example.com.", "a@example..com", "a b@example.com",
        "a@exam\u{7}ple.com", "a@\u{FEFF}example.com", "<a>@example.com", String(repeating: "l", count: 65) + "@example.com",
    ])
    func otherAddressesAreRefused(email: String) {
        #expect(CredentialPolicy.emailProblem(email) != nil)
    }

    @Test func passwordsThePolicyRefusesAreNamedWhy() {
        #expect(CredentialPolicy.passwordProblem("correct horse battery", email: "ada@example.com") == nil)
        #expect(CredentialPolicy.passwordProblem("aaaaaaaaaaaa", email: "ada@example.com")?.contains("4 different") == true)
        #expect(CredentialPolicy.passwordProblem("password123", email: "ada@example.com")?.contains("common") == true)
        #expect(CredentialPolicy.passwordProblem("ada@example.com", email: "ada@example.com")?.contains("email") == true)
    }
}
