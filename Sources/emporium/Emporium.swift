import ArgumentParser

/// The `emporium` command: the embedded platform by default, or one component with `serve`.
@main
struct Emporium: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emporium",
        abstract: "An e-commerce backend: gateway, User, Product, Order, Payment and Notification services.",
        discussion: """
            Every option can also be set by the environment variable named in its help; a flag wins \
            over the environment, which wins over the default.
            """,
        subcommands: [RunCommand.self, ServeCommand.self, DeadLetterCommand.self],
        defaultSubcommand: RunCommand.self
    )
}
