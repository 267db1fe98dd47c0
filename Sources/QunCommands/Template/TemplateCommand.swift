import ArgumentParser
import QunStore

struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Message templates (话术, 欢迎语): shared texts with {placeholders}, rendered per member.",
        discussion: """
            A template is named by its id (or a unique prefix of at least 4 characters) or its \
            exact name. Two laptops that add a template of the same name offline end with one \
            template; the later edit of its text wins. `qun help templates` lists the placeholders.
            """,
        subcommands: [
            AddTemplate.self, EditTemplate.self, ListTemplates.self, ShowRecord<MessageTemplate>.self,
            RenderTemplate.self, RemoveRecord<MessageTemplate>.self, RestoreRecord<MessageTemplate>.self,
        ])
}
