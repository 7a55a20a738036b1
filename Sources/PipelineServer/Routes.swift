/// The whole route table, in one place so it can be compared with `openapi.json`.
enum Routes {
    static func make() -> Router {
        var router = Router()
        SystemRoutes.register(in: &router)
        PipelineRoutes.register(in: &router)
        RunRoutes.register(in: &router)
        EventRoutes.register(in: &router)
        return router
    }
}
