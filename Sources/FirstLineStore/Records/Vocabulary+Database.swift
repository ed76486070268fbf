import FirstLineCore
import GRDB

// The domain's words (FirstLineCore) stored as their raw values. Core knows nothing of databases;
// the store says here how each is written, so every module uses the same types.

extension Platform: DatabaseValueConvertible {}
extension TicketPriority: DatabaseValueConvertible {}
extension TicketStatus: DatabaseValueConvertible {}
extension TicketChannel: DatabaseValueConvertible {}
extension TicketCategory: DatabaseValueConvertible {}
extension Language: DatabaseValueConvertible {}
