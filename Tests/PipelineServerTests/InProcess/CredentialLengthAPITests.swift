import Foundation
import Testing

/// Over HTTP, a password that is the real one plus 256 characters is refused (the length once
/// wrapped around in the comparison).
struct CredentialLengthAPITests {
    @Test func aPasswordWith256ExtraCharactersIsUnauthorized() throws {
        let server = try InProcessServer()
        let statuses = synchronously { () -> [Int?] in
            let client = server.api()
            let padded = "admin:admin" + String(repeating: "x", count: 256)
            let headers = [
                "Basic " + Data(padded.utf8).base64EncodedString(),
                "Basic " + Data("admin:admin".utf8).base64EncodedString() + String(repeating: "A", count: 256),
                "Basic " + Data("admin:admin".utf8).base64EncodedString(),
            ]
            return headers.map { header in
                client.authorization = header
                return client.request("GET", "/v1/pipelines")?.status
            }
        }
        #expect(statuses == [401, 401, 200])
    }
}
