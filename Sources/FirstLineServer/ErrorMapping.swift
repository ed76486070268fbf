import FirstLineContent
import FirstLineCore
import FirstLineStore
import Hummingbird
import Logging

/// The one place where the errors of the layers below become the API's `AppError` (status and
/// `{"error":{"code","message"}}`). Controllers throw what they get; nothing maps errors on its own.
enum ErrorMapping {
    /// Seconds a client is told to wait when the store refuses writes: long enough not to hammer a full
    /// disk, short enough that a platform's redelivery arrives soon after the disk is back.
    static let storageRetryAfter = 5

    /// `error` as the client sees it. Anything not modelled is logged at error level (the request
    /// logger carries the request id) by its type only, since messages can quote user text, and
    /// answered with a 500 that says it was logged.
    static func appError(for error: any Error, logger: Logger) -> AppError {
        switch error {
        case let error as AppError:
            return error
        case let error as StoreError:
            return appError(for: error, logger: logger)
        case let error as RoutingError:
            return appError(for: error)
        case let error as DeskError:
            switch error {
            case .notApprover: return .forbidden("only the requester's manager can decide this approval")
            }
        case let failure as KnowledgeBaseEditor.Failure:
            switch failure {
            case let .invalid(issues): return .invalidArticle(issues)
            case let .notFound(what): return .notFound(what)
            case let .alreadyExists(what): return .conflict("\(what) already exists; use PUT to change it")
            case let .mismatch(detail): return .invalidRequest(detail)
            case let .io(detail):
                logger.error("knowledge base not written", metadata: ["error": "\(detail)"])
                return .storage(detail)
            }
        case let ContentError.invalid(issues):
            return .invalidArticle(issues)
        default:
            logger.error("request failed", metadata: ["error.type": "\(type(of: error))"])
            return .internalFailure
        }
    }

    static func appError(for error: StoreError, logger: Logger) -> AppError {
        switch error {
        case let .notFound(entity, id): return .notFound("\(entity.rawValue) \(id.prefix(32))")
        case let .invalidTransition(_, _, from, to): return .invalidTransition(from: from, to: to)
        case let .duplicate(entity, id): return .conflict("\(entity.rawValue) \(id.prefix(64)) already exists")
        case let .invalidValue(detail): return .invalidRequest(detail)
        case let .database(code, _):
            // SQLite's message can quote values (a ticket subject, a note), so only the code is logged.
            logger.error("database failure", metadata: ["sqlite.code": "\(code)"])
            return .internalFailure
        case let .unavailable(code, _):
            // The disk, not the request: a warning per refused request (the operator sees /readyz fail too).
            logger.warning("storage unavailable; request refused with 503", metadata: ["store.code": "\(code)"])
            return .storageUnavailable(retryAfter: storageRetryAfter)
        }
    }

    static func appError(for error: RoutingError) -> AppError {
        switch error {
        case let .ticketNotQueued(number): .conflict("ticket \(number) is not waiting in a queue")
        case let .unknownAgent(name): .forbidden("\(name) is not an agent of the desk (firstline.yml agents)")
        case let .notTeamMember(agent, team): .forbidden("\(agent) is not a member of team \(team)")
        case let .overCapacity(agent, capacity): .conflict("\(agent) already holds \(capacity) open tickets")
        case let .alreadyAssigned(number, agent): .conflict("ticket \(number) is already with \(agent)")
        case let .unknownTeam(team): .conflict("team \(team) is not configured")
        }
    }
}

/// Applies `ErrorMapping` to every route, added once in the composition root. Hummingbird's own
/// errors (an unknown route, a body over the limit) already carry their status and pass through.
struct ErrorMappingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as AppError {
            throw error
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            throw ErrorMapping.appError(for: error, logger: context.logger)
        }
    }
}
