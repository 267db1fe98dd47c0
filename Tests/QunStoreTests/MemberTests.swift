import Foundation
import QunCore
import QunStore
import QunStoreTestSupport
import XCTest

final class MemberTests: StoreTestCase {
    private func utf8Sorted(_ items: [String]) -> [String] {
        items.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    // MARK: add

    func testAddKeepsUnicodeFieldsAndSortsTags() throws {
        let store = try makeStore()
        var draft = MemberDraft(name: "  张三  ")
        draft.role = .core
        draft.city = "杭州"
        draft.gate = .paid
        draft.gateNote = "付费 138"
        draft.joined = "2024-02-29"
        draft.status = .quiet
        draft.wechat = "zhangsan_88"
        draft.phone = "+86 138-0000-0000"
        draft.email = "zhang@example.com"
        draft.notes = "喜欢科幻 🚀，周末有空"
        draft.tags = ["读书会", "付费", "读书会", "early-bird"]
        let member = try store.addMember(draft)

        XCTAssertTrue(RecordID.isValid(member.id), member.id)
        XCTAssertEqual(member.name, "张三", "the name is trimmed")
        XCTAssertEqual(member.role, .core)
        XCTAssertEqual(member.city, "杭州")
        XCTAssertEqual(member.gate, .paid)
        XCTAssertEqual(member.gateNote, "付费 138")
        XCTAssertEqual(member.joined, "2024-02-29")
        XCTAssertEqual(member.status, .quiet)
        XCTAssertEqual(member.wechat, "zhangsan_88")
        XCTAssertEqual(member.phone, "+86 138-0000-0000")
        XCTAssertEqual(member.email, "zhang@example.com")
        XCTAssertEqual(member.notes, "喜欢科幻 🚀，周末有空")
        XCTAssertEqual(member.tags, utf8Sorted(["读书会", "付费", "early-bird"]), "duplicates dropped, sorted by UTF-8")
        XCTAssertEqual(member.logCount, 0)
        XCTAssertFalse(member.deleted)
        XCTAssertEqual(try store.member(member.id), member)

        // The export carries the same values.
        let export = try store.exportSection(.memberCollection)
        XCTAssertTrue(export.contains("\"name\":\"张三\""), export)
        XCTAssertTrue(export.contains("\"city\":\"杭州\""), export)
        XCTAssertTrue(export.contains("\"tags\":[\"early-bird\",\"付费\",\"读书会\"]"), export)
    }

    func testDefaultsRoleMemberStatusActiveAndJoinedToday() throws {
        let clock = TestClock()  // 2024-03-01T00:00:00Z
        clock.advance(by: 12 * 3_600_000)  // noon UTC: the same date in any time zone within ±12h
        let store = try makeStore(now: clock.closure)
        let member = try store.add("李四")
        XCTAssertEqual(member.role, .member)
        XCTAssertEqual(member.status, .active)
        XCTAssertEqual(member.joined, MemberValidation.today(clock.now))
        XCTAssertNil(member.city)
        XCTAssertEqual(member.tags, [])
    }

    func testNumbersArePrefixedUniqueAndIncreasing() throws {
        let store = try makeStore()
        let prefix = store.identity.replica.numberPrefix
        XCTAssertEqual(prefix.count, 4)
        var numbers: [String] = []
        for index in 0..<5 { numbers.append(try store.add("成员\(index)").number ?? "") }
        numbers += try store.addMembers((5..<9).map { MemberDraft(name: "成员\($0)") }).map(\.number)
        numbers.append(try store.add("成员9").number ?? "")
        XCTAssertEqual(numbers, (1...10).map { "\(prefix)-\($0)" })

        // A number is never reused, even after a delete.
        try store.removeMember(numbers[9])
        XCTAssertEqual(try store.add("成员10").number, "\(prefix)-11")

        // Numbers from two laptops never collide.
        let other = try makeStore(name: "other")
        let otherNumbers = try other.addMembers((0..<10).map { MemberDraft(name: "别人\($0)") }).map(\.number)
        XCTAssertTrue(Set(otherNumbers).isDisjoint(with: numbers))
        try exchange(store, other)
        let all = try store.members().map(\.number)
        XCTAssertEqual(all.count, 20)
        XCTAssertEqual(Set(all).count, 20)
    }

    func testANumberNeverChanges() throws {
        let store = try makeStore()
        let member = try store.add("张三")
        XCTAssertThrowsError(try store.edit(member.id, [.number: "XXXX-1"])) { error in
            guard case StoreError.invalidValue(field: "number", _, _)? = error as? StoreError else {
                return XCTFail("\(error)")
            }
        }
        XCTAssertEqual(try store.member(member.id).number, member.number)
    }

    // MARK: edit

    func testEditChangesOnlyTheGivenFields() throws {
        let store = try makeStore()
        let before = try store.add("张三") {
            $0.city = "杭州"; $0.notes = "老成员"; $0.tags = ["读书会"]; $0.wechat = "zs"; $0.role = .core
        }
        let after = try store.edit(before.id, [.city: "上海"])
        var expected = before
        expected.city = "上海"
        XCTAssertEqual(after, expected)

        let renamed = try store.edit(before.id, [.name: "张三丰", .role: "KOL", .status: "left", .joined: "2023-12-31"])
        expected.name = "张三丰"
        expected.role = .kol
        expected.status = .left
        expected.joined = "2023-12-31"
        XCTAssertEqual(renamed, expected)

        // An empty value clears a field.
        let cleared = try store.edit(before.id, [.notes: "", .wechat: "  "])
        expected.notes = nil
        expected.wechat = nil
        XCTAssertEqual(cleared, expected)
        XCTAssertFalse(try store.exportSection(.memberCollection).contains("wechat"))

        // Tags: add and remove in one edit; removing an absent tag is no error.
        let tagged = try store.edit(before.id, tag: ["志愿者", "kol候选"], untag: ["读书会", "不存在"])
        expected.tags = utf8Sorted(["志愿者", "kol候选"])
        XCTAssertEqual(tagged, expected)
    }

    func testEditWithNothingToDoIsAnError() throws {
        let store = try makeStore()
        let member = try store.add("张三")
        XCTAssertThrowsError(try store.editMember(member.id, MemberEdit())) { error in
            guard case StoreError.emptyEdit("member")? = error as? StoreError else { return XCTFail("\(error)") }
        }
    }

    // MARK: validation

    func testValidationErrorsLeaveTheStoreUnchanged() throws {
        let store = try makeStore()
        let member = try store.add("张三") { $0.tags = ["读书会"] }
        let before = try store.fingerprint()

        func expectInvalid(_ field: String, _ label: String, _ body: () throws -> Any) {
            XCTAssertThrowsError(try body(), label) { error in
                switch error as? StoreError {
                case .invalidValue(let f, _, _)? where f == field: break
                case .missingValue(let f)? where f == field: break
                default: XCTFail("\(label): expected an error about \(field), got \(error)")
                }
            }
            XCTAssertEqual(try? store.fingerprint(), before, "\(label) must leave the store unchanged")
        }

        expectInvalid("role", "bad role") { try store.edit(member.id, [.city: "上海", .role: "boss"]) }
        expectInvalid("joined", "bad date on edit") { try store.edit(member.id, [.joined: "2024-02-30"]) }
        expectInvalid("joined", "bad date on add") { try store.add("李四") { $0.joined = "2024-02-30" } }
        expectInvalid("joined", "not a date") { try store.add("李四") { $0.joined = "yesterday" } }
        expectInvalid("joined", "2023 is no leap year") { try store.edit(member.id, [.joined: "2023-02-29"]) }
        expectInvalid("tag", "bad tag on edit") { try store.edit(member.id, [.city: "上海"], tag: ["+x"]) }
        expectInvalid("tag", "tag with a colon") { try store.edit(member.id, tag: ["city:x"]) }
        expectInvalid("tag", "tag with a space") { try store.add("李四") { $0.tags = ["ok", "two words"] } }
        expectInvalid("tag", "bad tag on add") { try store.add("李四") { $0.tags = ["-x"] } }
        expectInvalid("name", "empty name on add") { try store.add("   ") }
        expectInvalid("name", "empty name on edit") { try store.edit(member.id, [.name: ""]) }
        expectInvalid("name", "overlong name") { try store.add(String(repeating: "长", count: 201)) }
        expectInvalid("status", "bad status") { try store.edit(member.id, [.status: "sleeping"]) }
        expectInvalid("gate", "bad gate") { try store.edit(member.id, [.gate: "vip"]) }
        expectInvalid("email", "bad email") { try store.edit(member.id, [.email: "not-an-address"]) }
        expectInvalid("phone", "bad phone") { try store.edit(member.id, [.phone: "call me"]) }
        expectInvalid("log text", "empty log") { try store.logInteraction(member.id, "  ") }

        // One bad draft in a batch: none of the batch is added, and no number is used up.
        XCTAssertThrowsError(try store.addMembers([MemberDraft(name: "王五"), MemberDraft(name: "")]))
        XCTAssertEqual(try store.fingerprint(), before)
        XCTAssertEqual(try store.add("王五").number, "\(store.identity.replica.numberPrefix)-2")
    }

    func testValidationOfDates() {
        XCTAssertNoThrow(try MemberValidation.date("2024-02-29"))
        XCTAssertNoThrow(try MemberValidation.date("2000-02-29"))
        XCTAssertNoThrow(try MemberValidation.date("2024-12-31"))
        for bad in ["2024-02-30", "1900-02-29", "2024-13-01", "2024-04-31", "2024-1-01", "24-01-01", "2024-01-00", "", "2024/01/01", "２０２４-01-01"] {
            XCTAssertThrowsError(try MemberValidation.date(bad), bad)
        }
    }

    // MARK: delete / restore

    func testRemoveThenShowIsDeletedAndRestoreBringsFieldsBack() throws {
        let store = try makeStore()
        let member = try store.add("张三") { $0.city = "杭州"; $0.tags = ["读书会"]; $0.notes = "老成员" }
        try store.logInteraction(member.id, "第一次沟通")
        let full = try store.member(member.id)

        let removed = try store.removeMember(member.number!)
        XCTAssertTrue(removed.deleted)
        XCTAssertThrowsStoreError(.deleted(collection: "member", id: member.id)) { try store.member(member.id) }
        XCTAssertThrowsStoreError(.deleted(collection: "member", id: member.id)) { try store.member("张三") }
        XCTAssertThrowsStoreError(.deleted(collection: "member", id: member.id)) { try store.member(member.number!) }
        XCTAssertThrowsStoreError(.deleted(collection: "member", id: member.id)) { try store.member(String(member.id.prefix(6))) }
        XCTAssertThrowsStoreError(.deleted(collection: "member", id: member.id)) { try store.edit(member.id, [.city: "上海"]) }
        XCTAssertThrowsStoreError(.deleted(collection: "member", id: member.id)) { try store.removeMember(member.id) }
        XCTAssertThrowsStoreError(.deleted(collection: "member", id: member.id)) { try store.logInteraction(member.id, "x") }
        XCTAssertEqual(try store.members(), [])
        XCTAssertEqual(try store.members(.all).map(\.id), [member.id])
        XCTAssertEqual(try store.member(member.id, includeDeleted: true).deleted, true)
        XCTAssertEqual(try store.exportSection(.memberCollection), "[]")
        XCTAssertEqual(try store.status().members, 0)
        XCTAssertEqual(try store.status().deletedMembers, 1)
        XCTAssertEqual(try store.interactions(member.id).map(\.text), ["第一次沟通"], "history stays readable")

        let restored = try store.restoreMember(String(member.id.prefix(8)))
        XCTAssertEqual(restored, full)
        XCTAssertEqual(try store.member("张三"), full)
        XCTAssertThrowsStoreError(.notDeleted(collection: "member", id: member.id)) { try store.restoreMember(member.id) }

        // A second delete / restore cycle works the same.
        try store.removeMember(member.id)
        XCTAssertEqual(try store.restoreMember(member.id), full)
    }

    func testUnknownReferenceIsNotFound() throws {
        let store = try makeStore()
        try store.add("张三")
        XCTAssertThrowsStoreError(.notFound(collection: "member", reference: "李四")) { try store.member("李四") }
        XCTAssertThrowsStoreError(.notFound(collection: "member", reference: "ffffffff")) { try store.member("ffffffff") }
        XCTAssertThrowsStoreError(.notFound(collection: "member", reference: "李四")) { try store.edit("李四", [.city: "x"]) }
        XCTAssertThrowsStoreError(.missingValue(field: "member")) { try store.member("  ") }
    }

    // MARK: interaction log

    func testLogEntriesAreOrderedAndAttributedToTheOperator() throws {
        let clock = TestClock()
        let stores = try makeTeam(["林晓", "王芳"], clocks: [clock, clock])
        let (lin, wang) = (stores[0], stores[1])
        let member = try lin.add("张三")
        try lin.logInteraction(member.id, "  第一次沟通：加微信  ")
        clock.advance(by: 1000)
        try lin.logInteraction("张三", "第二次：邀请读书会")
        try exchange(lin, wang)
        clock.advance(by: 1000)
        try wang.logInteraction(member.number!, "第三次：确认报名")
        clock.advance(by: 1000)
        try lin.logInteraction(member.id, "相同的话")
        try wang.logInteraction(member.id, "相同的话")
        try exchange(lin, wang)

        let log = try lin.interactions(member.id)
        XCTAssertEqual(log.map(\.text), ["第一次沟通：加微信", "第二次：邀请读书会", "第三次：确认报名", "相同的话", "相同的话"],
                       "entries in time order; two operators writing the same words both keep their entry")
        XCTAssertEqual(log.map(\.operatorName), ["林晓", "林晓", "王芳", log[3].operatorName, log[4].operatorName])
        XCTAssertEqual(Set(log.suffix(2).map(\.operatorName)), ["林晓", "王芳"])
        XCTAssertEqual(log[0].replica, lin.identity.replica)
        XCTAssertEqual(log[2].replica, wang.identity.replica)
        XCTAssertEqual(log.map(\.at), log.map(\.at).sorted())
        XCTAssertEqual(try wang.interactions(member.id), log)
        XCTAssertEqual(try lin.member(member.id).logCount, 5)

        let export = try lin.exportSection(.memberCollection)
        XCTAssertTrue(export.contains("\"log\":[{\"at\":\(TestClock.start),\"by\":\"\(lin.identity.replica.hex)\",\"text\":\"第一次沟通：加微信\"}"), export)
    }

    // MARK: resolution

    /// Writes a member record with a chosen id (through the public write path), so that
    /// prefix collisions can be made on purpose.
    @discardableResult
    private func member(_ store: Store, id: String, name: String, number: String? = nil) throws -> String {
        try store.write { tx in
            try tx.set(.memberCollection, id, "name", .text(name))
            if let number { try tx.set(.memberCollection, id, "number", .text(number)) }
        }
        return id
    }

    func testResolutionByIDPrefixNumberAndName() throws {
        let store = try makeStore()
        let zhang = try store.add("张三")
        let li = try store.add("李四")
        XCTAssertEqual(try store.member(zhang.id).id, zhang.id)
        XCTAssertEqual(try store.member(zhang.id.uppercased()).id, zhang.id)
        XCTAssertEqual(try store.member(String(zhang.id.prefix(8))).id, zhang.id)
        XCTAssertEqual(try store.member(" \(zhang.id.prefix(6)) ").id, zhang.id)
        XCTAssertEqual(try store.member(zhang.number!).id, zhang.id)
        XCTAssertEqual(try store.member(li.number!.lowercased()).id, li.id)
        XCTAssertEqual(try store.member("张三").id, zhang.id)
        XCTAssertEqual(try store.member("李四").id, li.id)
        XCTAssertThrowsStoreError(.notFound(collection: "member", reference: "张")) { try store.member("张") }
    }

    func testAmbiguousPrefixListsTheCandidates() throws {
        let store = try makeStore()
        let first = try member(store, id: "abcd" + String(repeating: "1", count: 28), name: "甲")
        let second = try member(store, id: "abcd" + String(repeating: "2", count: 28), name: "乙")
        guard case .ambiguous(let collection, let reference, let candidates)? = storeError({ try store.member("abcd") }) else {
            return XCTFail("expected ambiguous")
        }
        XCTAssertEqual(collection, "member")
        XCTAssertEqual(reference, "abcd")
        XCTAssertEqual(candidates.count, 2)
        XCTAssertTrue(candidates.contains { $0.hasPrefix(String(first.prefix(8))) && $0.contains("甲") }, "\(candidates)")
        XCTAssertTrue(candidates.contains { $0.hasPrefix(String(second.prefix(8))) && $0.contains("乙") }, "\(candidates)")
        XCTAssertEqual(try store.member("abcd1").name, "甲")
        XCTAssertEqual(try store.member("abcd2").name, "乙")
        // An edit through an ambiguous reference changes nothing.
        let before = try store.fingerprint()
        XCTAssertThrowsError(try store.edit("abcd", [.city: "x"]))
        XCTAssertEqual(try store.fingerprint(), before)
    }

    func testDuplicateNamesAreAmbiguousAndListNumbers() throws {
        let store = try makeStore()
        let a = try store.add("张伟") { $0.city = "北京" }
        let b = try store.add("张伟") { $0.city = "上海" }
        guard case .ambiguous(_, "张伟", let candidates)? = storeError({ try store.member("张伟") }) else {
            return XCTFail("expected ambiguous")
        }
        XCTAssertEqual(candidates.count, 2)
        XCTAssertTrue(candidates.contains { $0.contains(a.number!) && $0.hasPrefix(a.shortID) }, "\(candidates)")
        XCTAssertTrue(candidates.contains { $0.contains(b.number!) && $0.hasPrefix(b.shortID) }, "\(candidates)")
        let message = StoreError.ambiguous(collection: "member", reference: "张伟", candidates: candidates).description
        XCTAssertTrue(message.contains(a.shortID) && message.contains(b.shortID), message)
        // Each is still reachable by number; once one is deleted the name is unique again.
        XCTAssertEqual(try store.member(a.number!).city, "北京")
        try store.removeMember(b.number!)
        XCTAssertEqual(try store.member("张伟").id, a.id)
    }

    func testKolAndReferrerReferencesAreStoredAsIDs() throws {
        let store = try makeStore()
        let kol = try store.add("王老师") { $0.role = .kol }
        let referrer = try store.add("李四")
        let member = try store.add("张三") { $0.kol = "王老师"; $0.referrer = referrer.number }
        XCTAssertEqual(member.kol, kol.id)
        XCTAssertEqual(member.referrer, referrer.id)

        let other = try store.add("赵六")
        let edited = try store.edit(member.id, [.kol: String(other.id.prefix(8)), .referrer: ""])
        XCTAssertEqual(edited.kol, other.id)
        XCTAssertNil(edited.referrer)

        XCTAssertThrowsError(try store.edit(member.id, [.referrer: "张三"]), "a member cannot refer themselves") { error in
            guard case StoreError.invalidValue(field: "referrer", _, _)? = error as? StoreError else { return XCTFail("\(error)") }
        }
        let before = try store.fingerprint()
        XCTAssertThrowsStoreError(.notFound(collection: "member", reference: "无此人")) { try store.add("钱七") { $0.kol = "无此人" } }
        XCTAssertEqual(try store.fingerprint(), before)
        try store.removeMember(referrer.id)
        XCTAssertThrowsStoreError(.deleted(collection: "member", id: referrer.id)) {
            try store.add("孙八") { $0.referrer = referrer.number }
        }
    }

    // MARK: filters

    func testFilters() throws {
        let store = try makeStore()
        let kol = try store.add("王老师") { $0.role = .kol; $0.city = "杭州"; $0.tags = ["讲师"] }
        let zhang = try store.add("张三") { $0.city = "杭州"; $0.tags = ["读书会", "付费"]; $0.kol = kol.id; $0.notes = "Likes Sci-Fi" }
        let li = try store.add("李四") { $0.city = "上海"; $0.tags = ["读书会"]; $0.status = .quiet; $0.referrer = zhang.id }
        let zhao = try store.add("赵六") { $0.role = .core; $0.city = "杭州"; $0.status = .left; $0.gate = .paid; $0.kol = kol.id }
        let gone = try store.add("钱七") { $0.city = "杭州"; $0.tags = ["读书会"] }
        try store.removeMember(gone.id)

        func names(_ configure: (inout MemberFilter) -> Void) throws -> [String] {
            var filter = MemberFilter()
            configure(&filter)
            return try store.members(filter).map(\.name)
        }
        func sorted(_ items: [String]) -> [String] { utf8Sorted(items) }

        XCTAssertEqual(try names { _ in }, sorted(["王老师", "张三", "李四", "赵六"]), "ordered by name, deleted left out")
        XCTAssertEqual(try names { $0.role = .kol }, ["王老师"])
        XCTAssertEqual(try names { $0.role = .member }, sorted(["张三", "李四"]))
        XCTAssertEqual(try names { $0.city = "杭州" }, sorted(["王老师", "张三", "赵六"]))
        XCTAssertEqual(try names { $0.status = .quiet }, ["李四"])
        XCTAssertEqual(try names { $0.status = .active }, sorted(["王老师", "张三"]))
        XCTAssertEqual(try names { $0.gate = .paid }, ["赵六"])
        XCTAssertEqual(try names { $0.withTags = ["读书会"] }, sorted(["张三", "李四"]))
        XCTAssertEqual(try names { $0.withTags = ["读书会", "付费"] }, ["张三"])
        XCTAssertEqual(try names { $0.withoutTags = ["读书会"] }, sorted(["王老师", "赵六"]))
        XCTAssertEqual(try names { $0.withTags = ["读书会"]; $0.withoutTags = ["付费"] }, ["李四"])
        XCTAssertEqual(try names { $0.words = ["张"] }, ["张三"])
        XCTAssertEqual(try names { $0.words = ["sci-fi"] }, ["张三"], "words match notes, case-insensitively for Latin")
        XCTAssertEqual(try names { $0.words = ["likes", "FI"] }, ["张三"])
        XCTAssertEqual(try names { $0.words = ["likes", "老师"] }, [])
        XCTAssertEqual(try names { $0.kol = kol.id }, sorted(["张三", "赵六"]))
        XCTAssertEqual(try names { $0.referrer = zhang.id }, ["李四"])
        XCTAssertEqual(try names { $0.city = "杭州"; $0.role = .member; $0.withTags = ["付费"]; $0.words = ["三"] }, ["张三"])
        XCTAssertEqual(try names { $0.city = "杭州"; $0.status = .quiet }, [])
        XCTAssertEqual(try names { $0.withTags = ["读书会"]; $0.includeDeleted = true }, sorted(["张三", "李四", "钱七"]))
        XCTAssertEqual(try names { $0.withTags = ["不存在"] }, [])
        _ = li; _ = zhao

        // Filters follow edits.
        try store.edit(li.id, [.city: "杭州"], untag: ["读书会"])
        XCTAssertEqual(try names { $0.city = "杭州"; $0.withoutTags = ["读书会"] }, sorted(["王老师", "李四", "赵六"]))
    }

    func testMemberNames() throws {
        let store = try makeStore()
        let a = try store.add("张三")
        let b = try store.add("李四")
        XCTAssertEqual(try store.memberNames([a.id, b.id, "0123"]), [a.id: "张三", b.id: "李四"])
        XCTAssertEqual(try store.memberNames([]), [:])
    }
}
