import Foundation

/// Puts text on the desktop clipboard through whichever clipboard tool is installed. qun
/// cannot post into a chat; the operator pastes.
enum Clipboard {
    struct Tool {
        var name: String
        var arguments: [String]
    }

    /// In the order they are tried: Wayland, then X11, then macOS.
    static let tools = [
        Tool(name: "wl-copy", arguments: []),
        Tool(name: "xclip", arguments: ["-selection", "clipboard"]),
        Tool(name: "xsel", arguments: ["--clipboard", "--input"]),
        Tool(name: "pbcopy", arguments: []),
    ]

    /// Copies `text`; the tool's name, or nil when none is installed. A tool that is there
    /// but fails (no display) is an error.
    static func copy(_ text: String) throws -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let directories = path.split(separator: ":").map(String.init)
        for tool in tools {
            guard let executable = directories.map({ "\($0)/\(tool.name)" }).first(where: FileManager.default.isExecutableFile(atPath:)) else {
                continue
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = tool.arguments
            let input = Pipe()
            process.standardInput = input
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            input.fileHandleForWriting.write(Data(text.utf8))
            try input.fileHandleForWriting.close()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw ClipboardError.failed(tool: tool.name, status: process.terminationStatus) }
            return tool.name
        }
        return nil
    }
}

enum ClipboardError: Error, CustomStringConvertible {
    case failed(tool: String, status: Int32)

    var description: String {
        switch self {
        case .failed(let tool, let status):
            return "\(tool) could not put the text on the clipboard (exit \(status)); the text is printed above"
        }
    }
}
