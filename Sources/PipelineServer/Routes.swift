/// The whole route table, in one place so it can be compared with `openapi.json`. Each group of
/// routes gets what its handlers need here, when it is registered.
enum Routes {
    static func make(services: Services) -> Router {
        var router = Router()
        SystemRoutes.register(in: &router)
        PipelineRoutes(services: services).register(in: &router)
        RunRoutes(services: services).register(in: &router)
        EventRoutes(services: services).register(in: &router)
        return router
    }
}
