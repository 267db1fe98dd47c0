import XCTest
final class PQunSyncTestsTests: XCTestCase { func testNothing() {} }
