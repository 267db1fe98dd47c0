/// QQ's text export ("消息管理器 → 导出为 .txt") as QQ writes it, for the tests that import
/// chats: the preamble naming the group 读书会, then one block per message.
public enum QQExportText {
    public static let preamble = """
        消息记录（此消息记录为文本格式，不支持重新导入）

        ================================================================
        消息分组:我的群聊
        ================================================================
        消息对象:读书会
        ================================================================


        """

    /// One message block: the header (`time sender`), the body's lines, a blank line.
    public static func message(_ time: String, _ sender: String, _ body: String) -> String {
        "\(time) \(sender)\n\(body)\n\n"
    }

    /// A whole export of `messages` (time, sender, body).
    public static func file(_ messages: [(String, String, String)]) -> String {
        preamble + messages.map { message($0.0, $0.1, $0.2) }.joined()
    }
}
