import XCTest
final class PQunEndToEndTestsTests: XCTestCase { func testNothing() {} }
