import Foundation

/// Reads a field that takes one of a fixed set of words (a task's status, an event's phase):
/// case and surrounding spaces do not matter, and anything else is refused with the words
/// that are accepted.
enum ChoiceValidation {
    static func parse<Choice: RawRepresentable & CaseIterable>(_ text: String, field: String) throws -> Choice
    where Choice.RawValue == String {
        guard let choice = Choice(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            let words = Choice.allCases.map(\.rawValue)
            let expected = words.count == 2 ? "\(words[0]) or \(words[1])" : "one of " + words.joined(separator: ", ")
            throw StoreError.invalidValue(field: field, value: text, expected: expected)
        }
        return choice
    }
}
