import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore

/// The console's Mustache templates, read once from the package's resources. `{{…}}` escapes
/// HTML, so every piece of user text on a page is text; only the server-drawn chart uses `{{{…}}}`.
struct ConsoleRenderer: Sendable {
    let library: MustacheLibrary

    /// Every `.mustache` file of the bundled `Templates` folder, by its name.
    static func bundled() throws -> ConsoleRenderer {
        guard let folder = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw AppError.internalFailure
        }
        var templates: [String: MustacheTemplate] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".mustache") {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            templates[String(file.dropLast(".mustache".count))] = try MustacheTemplate(string: text)
        }
        return ConsoleRenderer(library: MustacheLibrary(templates: templates))
    }

    static let stylesheet: String = {
        guard let url = Bundle.module.url(forResource: "pages", withExtension: "css"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return "" }
        return text
    }()

    /// Only this server's stylesheet, forms and script file (`live.js`, which fetches from this server
    /// only); no inline script, no framing.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        + "base-uri 'none'; frame-ancestors 'none'"

    func page(_ name: String, _ values: [String: Any], status: HTTPResponse.Status = .ok, cookies: [String] = []) -> Response {
        let html = library.render(values, withTemplate: name) ?? ""
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        headers[.cacheControl] = "no-store"
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    static func redirect(_ location: String, cookies: [String] = []) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }
}

/// `application/x-www-form-urlencoded` bodies, bounded.
enum FormBody {
    static let limit = 16 * 1024

    static func read(_ request: Request) async throws -> [String: String] {
        parse(String(buffer: try await JSONBody.collect(request, limit: limit)))
    }

    static func parse(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { part in
                part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            guard let key = parts.first, !key.isEmpty, fields[key] == nil else { continue }
            fields[key] = parts.count == 2 ? parts[1] : ""
        }
        return fields
    }
}

/// The backlog as an inline SVG bar chart, drawn from numbers only.
enum ConsoleChart {
    static func backlog(_ points: [(day: String, open: Int)]) -> String? {
        guard !points.isEmpty else { return nil }
        let width = 640.0, height = 160.0, top = (points.map(\.open).max() ?? 0)
        let barWidth = width / Double(points.count)
        var bars = ""
        for (index, point) in points.enumerated() {
            let barHeight = top == 0 ? 0 : (Double(point.open) / Double(top)) * (height - 30)
            let x = Double(index) * barWidth
            bars += "<rect x=\"\(fmt(x + 1))\" y=\"\(fmt(height - 20 - barHeight))\" width=\"\(fmt(max(1, barWidth - 2)))\" "
                + "height=\"\(fmt(barHeight))\" fill=\"#4a78c2\"><title>\(escape(point.day)): \(point.open)</title></rect>"
        }
        let first = escape(points.first?.day ?? ""), last = escape(points.last?.day ?? "")
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\">"
            + bars
            + "<text x=\"0\" y=\"\(Int(height - 4))\" font-size=\"11\">\(first)</text>"
            + "<text x=\"\(Int(width))\" y=\"\(Int(height - 4))\" font-size=\"11\" text-anchor=\"end\">\(last)</text>"
            + "<text x=\"0\" y=\"12\" font-size=\"11\">max \(top)</text></svg>"
    }

    /// Counts as horizontal bars, one line each with its label and number, scaled to the largest.
    static func bars(_ rows: [(label: String, count: Int)]) -> String? {
        guard !rows.isEmpty else { return nil }
        let width = 640.0, line = 22.0, labelWidth = 180.0, top = max(1, rows.map(\.count).max() ?? 0)
        var body = ""
        for (index, row) in rows.enumerated() {
            let y = Double(index) * line
            let length = Double(row.count) / Double(top) * (width - labelWidth - 50)
            body += "<text x=\"\(fmt(labelWidth - 6))\" y=\"\(fmt(y + 15))\" font-size=\"12\" text-anchor=\"end\">\(escape(row.label))</text>"
                + "<rect x=\"\(fmt(labelWidth))\" y=\"\(fmt(y + 4))\" width=\"\(fmt(length))\" height=\"14\" fill=\"#4a78c2\">"
                + "<title>\(escape(row.label)): \(row.count)</title></rect>"
                + "<text x=\"\(fmt(labelWidth + length + 6))\" y=\"\(fmt(y + 15))\" font-size=\"12\">\(row.count)</text>"
        }
        let height = Int(Double(rows.count) * line + 4)
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(height)\" role=\"img\">" + body + "</svg>"
    }

    private static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
