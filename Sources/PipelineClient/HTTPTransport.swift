import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends one request and reduces every outcome to an `APIResponse` or a `ClientError`, so
/// callers never see `URLError` or `URLResponse`.
struct HTTPTransport: Sendable {
    /// Seconds the whole exchange may take, connecting included.
    let timeout: Double

    func send(_ request: URLRequest) async throws(ClientError) -> APIResponse {
        let url = request.url?.absoluteString ?? "?"
        var status: Int?
        var etag: String?
        var body = Data()
        do {
            for try await part in StreamingTask.open(request, idleTimeout: timeout, totalTimeout: timeout) {
                switch part {
                case .status(let code): status = code
                case .etag(let value): etag = value
                case .bytes(let bytes): body.append(bytes)
                }
            }
        } catch let error as ClientError {
            throw error
        } catch {
            throw ClientError(error, url: url, timeout: timeout)
        }
        guard let status else { throw ClientError.unexpectedResponse(url: url, reason: "no HTTP response") }
        return APIResponse(status: status, body: body, etag: etag)
    }
}

extension ClientError {
    /// Classifies a URLSession failure: a timeout, or anything else that kept us from an answer.
    init(_ error: any Error, url: String, timeout: Double) {
        if let urlError = error as? URLError, urlError.code == .timedOut {
            self = .timedOut(url: url, seconds: timeout)
        } else if let urlError = error as? URLError {
            self = .cannotConnect(url: url, reason: Self.reason(for: urlError))
        } else {
            self = .cannotConnect(url: url, reason: error.localizedDescription)
        }
    }

    private static func reason(for error: URLError) -> String {
        switch error.code {
        case .cannotConnectToHost: "connection refused"
        case .cannotFindHost, .dnsLookupFailed: "unknown host"
        case .networkConnectionLost: "the connection was closed"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            "TLS handshake failed"
        case .unsupportedURL: "unsupported URL"
        default: error.localizedDescription
        }
    }
}
