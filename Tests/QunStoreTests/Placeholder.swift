import XCTest
final class PQunStoreTestsTests: XCTestCase { func testNothing() {} }
