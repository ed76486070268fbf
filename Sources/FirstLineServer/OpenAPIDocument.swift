import Foundation
import Hummingbird

/// The OpenAPI 3.1 description of `/api/v1` (issue 15, point 6), served at `GET /api/v1/openapi.json`.
/// Kept in code, like the pages, so the binary needs no resource folder; a test checks every
/// registered `/api/v1` route against its paths, and the reverse.
enum OpenAPIDocument {
    static func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
    }

    static let json = #"""
    {"openapi": "3.1.0", "info": {"title": "FirstLine", "version": "1"}, "paths": {}}
    """#
}
