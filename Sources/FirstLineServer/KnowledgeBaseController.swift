import FirstLineContent
import FirstLineCore
import Foundation
import Hummingbird

/// The editors' API (design §1): `GET /api/v1/kb/articles`, `GET /api/v1/kb/articles/{lang}/{id}`,
/// `POST /api/v1/kb/articles` and `PUT /api/v1/kb/articles/{lang}/{id}`, with the article as its
/// Markdown file (`{"markdown": "---\n…front matter…\n---\nsteps"}`). Problems come back as 422
/// with every issue's field and line, exactly as `firstline kb check` reports them.
struct KnowledgeBaseController {
    static let bodyLimit = 256 * 1024

    let editor: KnowledgeBaseEditor
    /// Lets the request through for editors and admins (their principal: the version's author), or throws 401/403.
    let requireEditor: @Sendable (Request) async throws -> Principal

    struct ArticleBody: Decodable {
        var markdown: String
    }

    struct ArticleFile: Encodable {
        var id: String
        var lang: String
        var markdown: String
    }

    struct Listing: Encodable {
        var articles: [KnowledgeBaseEditor.Summary]
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/api/v1/kb/articles") { request, _ in
            _ = try await requireEditor(request)
            return try JSONBody.response(Listing(articles: try await editor.list()))
        }
        router.get("/api/v1/kb/articles/{lang}/{id}") { request, context in
            _ = try await requireEditor(request)
            let (lang, id) = try Self.path(context)
            let markdown = try await editor.markdown(id: id, lang: lang)
            return try JSONBody.response(ArticleFile(id: id, lang: lang, markdown: markdown))
        }
        router.post("/api/v1/kb/articles") { request, _ in
            let principal = try await requireEditor(request)
            let body = try await JSONBody.decode(ArticleBody.self, from: request, limit: Self.bodyLimit)
            return try JSONBody.response(try await editor.create(markdown: body.markdown, author: principal.name), status: .created)
        }
        router.put("/api/v1/kb/articles/{lang}/{id}") { request, context in
            let principal = try await requireEditor(request)
            let (lang, id) = try Self.path(context)
            let body = try await JSONBody.decode(ArticleBody.self, from: request, limit: Self.bodyLimit)
            return try JSONBody.response(try await editor.update(id: id, lang: lang, markdown: body.markdown,
                                                                 author: principal.name))
        }
    }

    private static func path(_ context: AppRequestContext) throws -> (String, String) {
        guard let lang = context.parameters.get("lang"), let id = context.parameters.get("id") else {
            throw AppError.invalidRequest("the path needs a language and an article id")
        }
        return (lang, id)
    }
}
