import Foundation
import Logging
import Pipelines
import Testing
import UVLoop

@testable import PipelineServer

/// The router's table and the served OpenAPI document describe the same API.
struct RouteTableTests {
    /// `method path` pairs of the embedded `openapi.json`.
    static func documentedRoutes() throws -> Set<String> {
        let document = try JSONSerialization.jsonObject(with: Data(PackageResources.openapi_json)) as? [String: Any]
        let paths = try #require(document?["paths"] as? [String: [String: Any]])
        let methods = ["get", "put", "post", "delete", "patch"]
        return Set(
            paths.flatMap { path, operations in
                operations.keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" }
            })
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteExists() throws {
        let loop = try Loop()  // never serves: the routes only need services to be registered
        defer {
            loop.shutDownWakeup()
            loop.run()
            #expect(loop.close() == 0)
        }
        let services = Services(
            loop: loop, logger: Logger(label: "routes"), heartbeatMilliseconds: 1_000, runBook: RunBook())
        let served = Set(Routes.make(services: services).routes.map { "\($0.method) \($0.template)" })
        #expect(served == (try Self.documentedRoutes()))
    }

    @Test func documentIsOpenAPI31() throws {
        let document = try JSONSerialization.jsonObject(with: Data(PackageResources.openapi_json)) as? [String: Any]
        #expect((document?["openapi"] as? String)?.hasPrefix("3.1") == true)
    }
}
