import HTTP1

/// The unauthenticated routes: welcome, health and the OpenAPI document.
enum SystemRoutes {
    static func register(in router: inout Router) {
        router.add("GET", "/", authenticated: false) { _ in .response(welcome) }
        router.add("GET", "/healthz", authenticated: false) { _ in .response(health) }
        router.add("GET", "/openapi.json", authenticated: false) { _ in .response(openAPI) }
    }

    private static let welcome = Response.json(
        .ok,
        Array(
            #"{"message": "Welcome to the pipeline API. See /openapi.json for the routes; every /v1 call needs HTTP Basic authentication."}"#
                .utf8))

    private static let health = Response.json(.ok, Array(#"{"status": "ok"}"#.utf8))

    /// Served exactly as kept in the repository (`openapi.json`, embedded at build time).
    private static let openAPI = Response.json(.ok, PackageResources.openapi_json)
}
