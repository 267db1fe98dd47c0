import Foundation
import QunStore
import XCTest

/// Reading chat exports as QQ and the WeChat tools write them: senders' keys, kinds, texts,
/// wall-clock times and the line each starts on, and every bad line reported by number while
/// the rest is still read.
final class ChatExportReaderTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("chat-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func file(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    private func crlf(_ text: String) -> String { text.replacingOccurrences(of: "\n", with: "\r\n") }

    private let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Reads and summarises each line as "line time key nickname kind text[ ← inviter][ #id]".
    private func read(_ url: URL, with reader: ChatExportReader = ChatExportReader(format: nil)) throws -> ([String], ChatReadResult) {
        var lines: [String] = []
        let result = try reader.read(contentsOf: url) { lines.append(summary($0)) }
        XCTAssertEqual(result.lines, lines.count)
        return (lines, result)
    }

    private func read(bytes: [UInt8], with reader: ChatExportReader = ChatExportReader(format: nil)) throws -> ([String], ChatReadResult) {
        var lines: [String] = []
        let result = try reader.read(bytes: bytes) { lines.append(summary($0)) }
        return (lines, result)
    }

    private func summary(_ line: ChatLine) -> String {
        var text = "\(line.line) \(line.time) \(line.sender.key) \(line.sender.nickname) \(line.kind.rawValue) \(line.text.replacingOccurrences(of: "\n", with: "⏎"))"
        if let inviter = line.inviter { text += " ← \(inviter)" }
        if let id = line.platformID { text += " #\(id)" }
        return text
    }

    private func readError(_ body: () throws -> Any, file: StaticString = #filePath, line: UInt = #line) -> ChatReadError? {
        do {
            _ = try body()
            XCTFail("expected a ChatReadError", file: file, line: line)
        } catch let error as ChatReadError {
            return error
        } catch {
            XCTFail("expected a ChatReadError, got \(error)", file: file, line: line)
        }
        return nil
    }

    // MARK: QQ

    private let qqExport = """
    消息记录（此消息记录为文本格式，不支持重新导入）

    ================================================================
    消息分组:我的群聊
    ================================================================
    消息对象:读书会
    ================================================================

    2024-01-05 20:31:12 小王(读书会)(12345678)
    大家好，今晚读《三体》🎉

    2024-01-05 20:32:40 🎉阿花 (小号)(87654321)
    第一段

    第三段，中间空了一行


    2024-01-06 8:01:02 李四<lisi@example.com>
    早上好
    2024-01-06 08:00:00 这行是引用的时间，不是新消息

    2024-01-06 09:15:00 路人甲
    [图片]

    """

    func testQQExportWithBOMAndCRLFReadsGroupSendersAndMultiLineMessages() throws {
        let url = try file("读书会.txt", bom + Array(crlf(qqExport).utf8))
        let (lines, result) = try read(url)
        XCTAssertEqual(result.format, .qq)
        XCTAssertEqual(result.group, "读书会")
        XCTAssertEqual(result.problems, [])
        XCTAssertEqual(lines, [
            "9 2024-01-05 20:31:12 qq:12345678 小王(读书会) message 大家好，今晚读《三体》🎉",
            "12 2024-01-05 20:32:40 qq:87654321 🎉阿花 (小号) message 第一段⏎⏎第三段，中间空了一行",
            "18 2024-01-06 08:01:02 email:lisi@example.com 李四 message 早上好⏎2024-01-06 08:00:00 这行是引用的时间，不是新消息",
            "22 2024-01-06 09:15:00 name:路人甲 路人甲 message [图片]",
        ])
    }

    func testQQSystemLinesBecomeJoinsLeavesAndRecalls() throws {
        let text = """
        消息对象:读书会

        2024-02-01 10:00:00 系统消息(10000)
        李四加入本群。

        2024-02-01 10:01:00 系统消息(10000)
        王五 加入了群聊

        2024-02-01 10:02:00 系统消息(1000000)
        欢迎赵六加入本群

        2024-02-01 10:03:00 系统消息(10000)
        张三邀请钱七、孙八加入了本群。

        2024-02-01 10:04:00 系统消息(10000)
        李四退出了本群

        2024-02-01 10:05:00 系统消息(10000)
        王五被管理员移出本群

        2024-02-01 10:06:00 系统消息(10000)
        赵六撤回了一条消息

        2024-02-01 10:07:00 系统消息(10000)
        群主已开启全员禁言

        2024-02-01 10:08:00 小王(12345678)
        撤回了一条消息

        2024-02-01 10:09:00 小王(12345678)
        小王 撤回了一条消息

        2024-02-01 10:10:00 小王(12345678)
        我不小心撤回了一条消息，抱歉
        """
        let (lines, result) = try read(bytes: Array(text.utf8))
        XCTAssertEqual(result.problems, [])
        XCTAssertEqual(lines, [
            "3 2024-02-01 10:00:00 name:李四 李四 join 李四加入本群。",
            "6 2024-02-01 10:01:00 name:王五 王五 join 王五 加入了群聊",
            "9 2024-02-01 10:02:00 name:赵六 赵六 join 欢迎赵六加入本群",
            "12 2024-02-01 10:03:00 name:钱七 钱七 join 张三邀请钱七、孙八加入了本群。 ← 张三",
            "12 2024-02-01 10:03:00 name:孙八 孙八 join 张三邀请钱七、孙八加入了本群。 ← 张三",
            "15 2024-02-01 10:04:00 name:李四 李四 leave 李四退出了本群",
            "18 2024-02-01 10:05:00 name:王五 王五 leave 王五被管理员移出本群",
            "21 2024-02-01 10:06:00 name:赵六 赵六 recall 赵六撤回了一条消息",
            "24 2024-02-01 10:07:00 qq:10000 系统消息 system 群主已开启全员禁言",
            "27 2024-02-01 10:08:00 qq:12345678 小王 recall 撤回了一条消息",
            "30 2024-02-01 10:09:00 qq:12345678 小王 recall 小王 撤回了一条消息",
            "33 2024-02-01 10:10:00 qq:12345678 小王 message 我不小心撤回了一条消息，抱歉",
        ])
    }

    func testQQBadTimeInvalidUTF8AndStrayTextAreProblemsByLineAndReadingGoesOn() throws {
        var bytes = Array("""
        这不是 QQ 导出的开头
        还是不是

        2024-01-05 20:31:12 小王(12345678)
        好

        2024-13-45 25:61:00 坏时间(11111111)
        这条消息被跳过

        2024-01-05 20:40:00 阿花(87654321)
        第一行

        """.utf8)
        bytes += [0xE4, 0xBD, 0xFF, 0x0A]  // line 12: a broken character
        bytes += Array("""

        2024-01-05 20:50:00 李四(22222222)
        还在读

        """.utf8)
        let (lines, result) = try read(bytes: bytes, with: ChatExportReader(format: .qq))
        XCTAssertEqual(lines, [
            "4 2024-01-05 20:31:12 qq:12345678 小王 message 好",
            "14 2024-01-05 20:50:00 qq:22222222 李四 message 还在读",
        ])
        XCTAssertEqual(result.problems.map(\.line), [1, 7, 12])
        XCTAssertEqual(result.problems[0].reason, "not part of a QQ message (and the 1 lines below it): no message header such as \"2024-01-05 20:31:12 昵称(12345678)\" above it")
        XCTAssertEqual(result.problems[1].reason, "2024-13-45 25:61:00 is not a real date and time; the message is skipped")
        XCTAssertEqual(result.problems[2].reason, "not valid UTF-8 text; the message of line 10 is skipped")
    }

    func testQQUTF16LittleEndianExportOfOldVersions() throws {
        let text = "消息对象:老群\r\n\r\n2012-03-05 9:33:25 老王😀(10001234)\r\n十年前的消息\r\n"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let (lines, result) = try read(try file("old.txt", bytes))
        XCTAssertEqual(result.format, .qq)
        XCTAssertEqual(result.group, "老群")
        XCTAssertEqual(lines, ["3 2012-03-05 09:33:25 qq:10001234 老王😀 message 十年前的消息"])
    }

    func testQQExportLargerThanTheBufferKeepsEveryMessageAndLineNumber() throws {
        var text = "消息对象:大群\n\n"
        let long = String(repeating: "长", count: 600_000)  // one 1.8 MB line: longer than the buffer
        for i in 0..<30_000 {
            text += "2024-03-01 12:\(String(format: "%02d", i / 60 % 60)):\(String(format: "%02d", i % 60)) 成员\(i)(\(100_000 + i))\n"
            text += i == 15_000 ? long + "\n\n" : "消息 \(i) 🎉\n\n"
        }
        var count = 0
        var last: ChatLine?
        var longLine: ChatLine?
        let result = try ChatExportReader(format: nil).read(contentsOf: try file("big.txt", Array(text.utf8))) { line in
            count += 1
            last = line
            if line.text.count > 1000 { longLine = line }
        }
        XCTAssertEqual(count, 30_000)
        XCTAssertEqual(result.problems, [])
        XCTAssertEqual(last.map(summary), "\(3 + 29_999 * 3) 2024-03-01 12:19:59 qq:129999 成员29999 message 消息 29999 🎉")
        XCTAssertEqual(longLine?.line, 3 + 15_000 * 3)
        XCTAssertEqual(longLine?.text, long)
    }

    // MARK: WeChat CSV

    func testMemoTraceCSVMessagesInvitationsAndSystemLines() throws {
        let csv = #"""
        localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender
        1,3,1,0,0,1704457872,2,大家好🎉,2024-01-05 20:31:12,,张三,wxid_zhangsan01
        2,3,3,0,0,1704457900,2,"<img src=""a.jpg""/>",2024-01-05 20:31:40,小李备注,李四,wxid_lisi
        3,3,1,0,1,1704457950,2,"第一行,带逗号
        第二行",2024-01-05 20:32:30,,阿花 (读书会),ahua_2024
        4,3,10000,0,0,1704458000,4,"“张三”邀请“李四”、“王五”加入了群聊",2024-01-05 20:33:20,,,
        5,3,10000,0,0,1704458100,4,"""赵六""通过扫描""张三""分享的二维码加入群聊",2024-01-05 20:35:00,,,
        6,3,10000,0,0,1704458200,4,"你邀请""钱七""加入了群聊",2024-01-05 20:36:40,,,
        7,3,10002,0,0,1704458300,4,"<sysmsg type=""revokemsg""><revokemsg><replacemsg><![CDATA[""李四"" 撤回了一条消息]]></replacemsg></revokemsg></sysmsg>",2024-01-05 20:38:20,,,
        8,3,10000,0,0,1704458400,4,"你将""王五""移出了群聊",2024-01-05 20:40:00,,,
        9,3,10000,0,0,1704458500,4,"""孙八""被移出群聊",2024-01-05 20:41:40,,,
        10,3,10000,0,0,1704458600,4,"""李四"" 拍了拍 ""我""",2024-01-05 20:43:20,,,
        11,3,1,0,0,1704458700,2,好的,2024-01-05 20:45:00,,,
        """#
        let url = try file("群聊_utf8.csv", bom + Array(crlf(csv).utf8))
        let (lines, result) = try read(url)
        XCTAssertEqual(result.format, .wechatCSV)
        XCTAssertNil(result.group)
        XCTAssertEqual(result.problems, [ChatProblem(line: 13, reason: "no sender (NickName, Sender or talker is empty); the row is skipped")])
        XCTAssertEqual(lines, [
            "2 2024-01-05 20:31:12 wxid:wxid_zhangsan01 张三 message 大家好🎉",
            "3 2024-01-05 20:31:40 wxid:wxid_lisi 李四 message <img src=\"a.jpg\"/>",
            "4 2024-01-05 20:32:30 wxid:ahua_2024 阿花 (读书会) message 第一行,带逗号⏎第二行",
            "6 2024-01-05 20:33:20 name:李四 李四 join “张三”邀请“李四”、“王五”加入了群聊 ← 张三",
            "6 2024-01-05 20:33:20 name:王五 王五 join “张三”邀请“李四”、“王五”加入了群聊 ← 张三",
            "7 2024-01-05 20:35:00 name:赵六 赵六 join \"赵六\"通过扫描\"张三\"分享的二维码加入群聊 ← 张三",
            "8 2024-01-05 20:36:40 name:钱七 钱七 join 你邀请\"钱七\"加入了群聊",
            "9 2024-01-05 20:38:20 name:李四 李四 recall <sysmsg type=\"revokemsg\"><revokemsg><replacemsg><![CDATA[\"李四\" 撤回了一条消息]]></replacemsg></revokemsg></sysmsg>",
            "10 2024-01-05 20:40:00 name:王五 王五 leave 你将\"王五\"移出了群聊",
            "11 2024-01-05 20:41:40 name:孙八 孙八 leave \"孙八\"被移出群聊",
            "12 2024-01-05 20:43:20 system:wechat 系统消息 system \"李四\" 拍了拍 \"我\"",
        ])
    }

    func testPyWxDumpCSVUnixTimesInTheReadersZoneAndMessageIDs() throws {
        let csv = #"""
        id,MsgSvrID,type_name,is_sender,talker,room_name,msg,src,CreateTime
        1,7290001,文本,0,wxid_abc123,123@chatroom,晚上好,,1704457872
        2,7290002,图片,1,wxid_me0001,123@chatroom,图片,a.jpg,1704457900
        3,7290003,系统通知,0,,123@chatroom,"""张三""邀请""李四""、""王五""加入了群聊",,1704458000
        4,7290004,文本,0,wxid_abc123,123@chatroom,写好的时间,,2024-01-05 21:00:00
        5,7290005,文本,0,wxid_abc123,123@chatroom,坏时间,,2024-02-30 21:00:00
        """#
        let shanghai = try XCTUnwrap(TimeZone(identifier: "Asia/Shanghai"))
        let (lines, result) = try read(bytes: Array(csv.utf8), with: ChatExportReader(format: nil, timeZone: shanghai))
        XCTAssertEqual(result.format, .wechatCSV)
        XCTAssertEqual(lines, [
            "2 2024-01-05 20:31:12 wxid:wxid_abc123 wxid_abc123 message 晚上好 #7290001",
            "3 2024-01-05 20:31:40 wxid:wxid_me0001 wxid_me0001 message 图片 #7290002",
            "4 2024-01-05 20:33:20 name:李四 李四 join \"张三\"邀请\"李四\"、\"王五\"加入了群聊 ← 张三 #7290003",
            "4 2024-01-05 20:33:20 name:王五 王五 join \"张三\"邀请\"李四\"、\"王五\"加入了群聊 ← 张三 #7290003#2",
            "5 2024-01-05 21:00:00 wxid:wxid_abc123 wxid_abc123 message 写好的时间 #7290004",
        ])
        XCTAssertEqual(result.problems, [ChatProblem(line: 6, reason: "no date and time in StrTime or CreateTime; the row is skipped")])

        let utc = try XCTUnwrap(TimeZone(identifier: "UTC"))
        let (inUTC, _) = try read(bytes: Array(csv.utf8), with: ChatExportReader(format: .wechatCSV, timeZone: utc))
        XCTAssertEqual(inUTC.first, "2 2024-01-05 12:31:12 wxid:wxid_abc123 wxid_abc123 message 晚上好 #7290001")
    }

    func testNewerMemoTraceHeaderIsWeChat() throws {
        let csv = "消息ID,类型,发送人,时间,内容,备注,昵称,更多信息\n8812,文本,小王,2024-01-05 20:31:12,你好,王同学,小王🎉,more\n8813,系统消息,,2024-01-05 20:32:00,\"\"\"李四\"\"撤回了一条消息\",,,more\n"
        XCTAssertEqual(ChatExportReader.detectFormat(bytes: Array(csv.utf8)), .wechatCSV)
        let (lines, result) = try read(bytes: Array(csv.utf8))
        XCTAssertEqual(result.problems, [])
        XCTAssertEqual(lines, [
            "2 2024-01-05 20:31:12 name:小王 小王 message 你好 #8812",
            "3 2024-01-05 20:32:00 name:李四 李四 recall \"李四\"撤回了一条消息 #8813",
        ])
    }

    func testWeChatCSVWithoutTextOrTimeColumnsIsRefused() {
        let csv = "localId,NickName,Sender\n1,张三,wxid_a\n"
        let error = readError { try ChatExportReader(format: nil).read(bytes: Array(csv.utf8), name: "wx.csv") { _ in } }
        XCTAssertEqual(error?.description, "wx.csv has no time (StrTime or CreateTime) and text (StrContent) column for a wechat-csv export (its header: localId, NickName, Sender); if it is another kind of CSV, give --format csv and --map")
    }

    // MARK: Plain CSV

    func testPlainCSVChineseHeadersTimeShapesIDsAndTypes() throws {
        let csv = """
        时间,昵称,QQ,内容,类型
        2024-01-05 20:31,小王(读书会),12345678,大家好,
        2024/01/05 20:32:10,阿花🎉,,"多行
        消息",文本
        2024-01-05T20:33:00Z,李四,,李四加入本群,系统
        2024-01-05T20:34:00.250+08:00,王五,,,撤回
        2024-01-05 25:00,赵六,,时间不对,
        2024-01-05 20:35:00,,,没有发送者,
        ,,,,
        """
        let (lines, result) = try read(try file("chat.csv", Array(csv.utf8)))
        XCTAssertEqual(result.format, .csv)
        XCTAssertEqual(lines, [
            "2 2024-01-05 20:31:00 id:12345678 小王(读书会) message 大家好",
            "3 2024-01-05 20:32:10 name:阿花🎉 阿花🎉 message 多行⏎消息",
            "5 2024-01-05 20:33:00 name:李四 李四 join 李四加入本群",
            "6 2024-01-05 20:34:00 name:王五 王五 recall ",
        ])
        XCTAssertEqual(result.problems, [
            ChatProblem(line: 7, reason: "the time is not a date and time such as 2024-01-05 20:31:12; the row is skipped"),
            ChatProblem(line: 8, reason: "no sender; the row is skipped"),
        ])
    }

    func testPlainCSVMappingNamesAndIgnoresColumns() throws {
        let csv = "发言时间,群昵称,name,备注\n2024-01-05 20:31:12,小王,不是发送者,你好\n"
        let mapping: [String: ChatColumn?] = ["发言时间": .time, "群昵称": .sender, "NAME": nil, "备注": .text]
        let (lines, result) = try read(bytes: Array(csv.utf8), with: ChatExportReader(format: .csv, mapping: mapping))
        XCTAssertEqual(result.problems, [])
        XCTAssertEqual(lines, ["2 2024-01-05 20:31:12 name:小王 小王 message 你好"])

        let unmapped = readError { try ChatExportReader(format: .csv).read(bytes: Array(csv.utf8), name: "chat.csv") { _ in } }
        XCTAssertEqual(unmapped?.description, "chat.csv has no time column (its header: 发言时间, 群昵称, name, 备注): name the columns with --map, e.g. --map \"COLUMN=time\"")
        let wrongName = readError {
            try ChatExportReader(format: .csv, mapping: ["时间": .time]).read(bytes: Array(csv.utf8), name: "chat.csv") { _ in }
        }
        XCTAssertEqual(wrongName, .mappedColumnMissing(path: "chat.csv", column: "时间", header: ["发言时间", "群昵称", "name", "备注"]))
    }

    func testCSVUnclosedQuoteAndInvalidUTF8CostOnlyTheirLines() throws {
        var bytes = Array("time,sender,text\n2024-01-05 20:31:12,小王,好\n2024-01-05 20:32:00,阿花,\"没有闭合的引号\n2024-01-05 20:33:00,李四,还在\n".utf8)
        bytes += Array("2024-01-05 20:34:00,王五,".utf8) + [0xC3, 0x28] + [0x0A]
        bytes += Array("2024-01-05 20:35:00,赵六,\"引号\"\"里\"\"的引号\"\n".utf8)
        let (lines, result) = try read(bytes: bytes)
        XCTAssertEqual(lines, [
            "2 2024-01-05 20:31:12 name:小王 小王 message 好",
            "4 2024-01-05 20:33:00 name:李四 李四 message 还在",
            "6 2024-01-05 20:35:00 name:赵六 赵六 message 引号\"里\"的引号",
        ])
        XCTAssertEqual(result.problems, [
            ChatProblem(line: 3, reason: "a quoted field opens on this line and is never closed (a \" is missing); the line is skipped"),
            ChatProblem(line: 5, reason: "not valid UTF-8 text; the row is skipped"),
        ])

        // Open to the end of the file; the lines it swallowed are read again.
        let (atEnd, open) = try read(bytes: Array("time,sender,text\n2024-01-05 20:31:12,小王,\"开了没关\n第二行\n2024-01-05 20:32:00,阿花,好\n".utf8))
        XCTAssertEqual(atEnd, ["4 2024-01-05 20:32:00 name:阿花 阿花 message 好"])
        XCTAssertEqual(open.problems, [
            ChatProblem(line: 2, reason: "a quoted field opens on this line and is never closed (a \" is missing); the line is skipped"),
            ChatProblem(line: 3, reason: "the time is not a date and time such as 2024-01-05 20:31:12; the row is skipped"),
        ])
    }

    // MARK: Detection and errors

    func testDetectionFromTheFirstBytes() {
        XCTAssertEqual(ChatExportReader.detectFormat(bytes: bom + Array("消息记录（此消息记录为文本格式，不支持重新导入）\r\n".utf8)), .qq)
        XCTAssertEqual(ChatExportReader.detectFormat(bytes: Array("\n2024-01-05 8:01:02 小王(12345678)\n你好\n".utf8)), .qq)
        XCTAssertEqual(ChatExportReader.detectFormat(bytes: Array("localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\n".utf8)), .wechatCSV)
        XCTAssertEqual(ChatExportReader.detectFormat(bytes: Array("id,MsgSvrID,type_name,is_sender,talker,room_name,msg,src,CreateTime\n".utf8)), .wechatCSV)
        XCTAssertEqual(ChatExportReader.detectFormat(bytes: Array("时间,昵称,内容\n".utf8)), .csv)
        XCTAssertNil(ChatExportReader.detectFormat(bytes: Array("just some notes\n".utf8)))
        XCTAssertNil(ChatExportReader.detectFormat(bytes: []))
    }

    func testUnknownFormatAndMissingFileAreErrorsNamingTheFile() throws {
        let url = try file("notes.txt", Array("随便写的笔记\n".utf8))
        XCTAssertEqual(readError { try ChatExportReader(format: nil).read(contentsOf: url) { _ in } }?.description,
                       "cannot tell the format of \(url.path): give --format qq|wechat-csv|csv")
        let missing = directory.appendingPathComponent("missing.txt")
        XCTAssertEqual(readError { try ChatExportReader(format: .qq).read(contentsOf: missing) { _ in } },
                       .unreadable(path: missing.path, reason: "no such file"))
        XCTAssertEqual(readError { try ChatExportReader(format: .csv).read(bytes: [], name: "empty.csv") { _ in } },
                       .noHeader(path: "empty.csv", format: .csv))
    }

    func testAnErrorFromEachStopsTheReading() {
        struct Stop: Error {}
        var seen = 0
        XCTAssertThrowsError(try ChatExportReader(format: nil).read(bytes: Array(qqExport.utf8)) { _ in
            seen += 1
            if seen == 2 { throw Stop() }
        }) { XCTAssertTrue($0 is Stop) }
        XCTAssertEqual(seen, 2)
    }
}
