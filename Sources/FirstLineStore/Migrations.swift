import FirstLineCore
import GRDB

extension AppDatabase {
    /// The schema history. Migrations are append-only: a shipped one is never edited, because databases in the
    /// field have already run it and would silently differ from new ones. Column names are spelled out here
    /// rather than taken from the records, so renaming a Swift property cannot rewrite history.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1-core") { db in
            try db.create(table: "employee") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("displayName", .text).notNull()
                t.column("email", .text)
                t.column("department", .text)
                // A manager leaving must not delete their reports.
                t.column("managerEmployeeID", .integer).indexed().references("employee", onDelete: .setNull)
                t.column("createdAt", .datetime).notNull()
            }

            try db.create(table: "identity") { t in
                t.column("platform", .text).notNull()
                t.column("platformUserID", .text).notNull()
                t.column("employeeID", .integer).notNull().indexed().references("employee", onDelete: .cascade)
                t.primaryKey(["platform", "platformUserID"])
            }

            try db.create(table: "conversation") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("platform", .text).notNull()
                t.column("channelKey", .text).notNull()
                t.column("employeeID", .integer).notNull().indexed().references("employee", onDelete: .cascade)
                t.column("state", .text).notNull()
                t.column("language", .text)
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.uniqueKey(["platform", "channelKey"])
            }

            try db.create(table: "message") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("conversationID", .integer).notNull().indexed().references("conversation", onDelete: .cascade)
                t.column("direction", .text).notNull().check(sql: "direction IN ('in', 'out')")
                t.column("author", .text).notNull()
                t.column("text", .text).notNull()
                t.column("payload", .text)
                t.column("createdAt", .datetime).notNull()
            }
        }

        migrator.registerMigration("v2-feedback") { db in
            try db.create(table: "suggestion") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("conversationID", .integer).notNull().references("conversation", onDelete: .cascade)
                t.column("employeeID", .integer).notNull().references("employee", onDelete: .cascade)
                t.column("articleID", .text).notNull()
                t.column("query", .text).notNull()
                t.column("shownAt", .datetime).notNull()
                t.column("feedback", .text).check(sql: "feedback IS NULL OR feedback IN ('solved', 'still_broken')")
                t.column("feedbackAt", .datetime)
            }
            // "Was this article shown to this employee recently?" and "latest suggestion of A in this conversation".
            try db.create(index: "suggestion_employee_shownAt", on: "suggestion", columns: ["employeeID", "shownAt"])
            try db.create(index: "suggestion_conversation_article", on: "suggestion", columns: ["conversationID", "articleID"])

            try db.create(table: "learnedPhrase") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("articleID", .text).notNull()
                t.column("text", .text).notNull()
                t.column("weight", .double).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(index: "learnedPhrase_article_createdAt", on: "learnedPhrase", columns: ["articleID", "createdAt"])
        }

        migrator.registerMigration("v3-tickets") { db in
            try db.create(table: "ticket") { t in
                // AUTOINCREMENT so an id, and therefore a ticket number, is never handed out twice.
                t.autoIncrementedPrimaryKey("id")
                t.column("number", .text).notNull().unique()
                // No cascade: deleting an employee must not erase the tickets reports are built from.
                t.column("requesterID", .integer).notNull().indexed().references("employee")
                t.column("conversationID", .integer).indexed().references("conversation", onDelete: .setNull)
                t.column("channel", .text).notNull()
                t.column("subject", .text).notNull()
                t.column("category", .text).notNull()
                t.column("priority", .text).notNull().check(sql: "priority IN ('P1', 'P2', 'P3', 'P4')")
                t.column("status", .text).notNull().indexed()
                    .check(sql: "status IN ('new', 'open', 'waiting', 'resolved', 'closed')")
                t.column("team", .text)
                t.column("assignee", .text)
                t.column("firstResponseDueAt", .datetime)
                t.column("resolutionDueAt", .datetime)
                t.column("firstRespondedAt", .datetime)
                t.column("resolvedAt", .datetime)
                t.column("rating", .integer).check(sql: "rating IS NULL OR rating BETWEEN 1 AND 5")
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }

            try db.create(table: "ticketEvent") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("ticketID", .integer).notNull().indexed().references("ticket")
                t.column("actor", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("field", .text)
                t.column("before", .text)
                t.column("after", .text)
                t.column("note", .text)
                t.column("createdAt", .datetime).notNull()
            }
            // History is evidence (SLA reports, audits): enforce append-only in the database itself,
            // so that no code path, present or future, can rewrite it.
            try db.execute(sql: """
                CREATE TRIGGER ticketEvent_noUpdate BEFORE UPDATE ON ticketEvent
                BEGIN SELECT RAISE(ABORT, 'ticketEvent is append-only'); END;
                CREATE TRIGGER ticketEvent_noDelete BEFORE DELETE ON ticketEvent
                BEGIN SELECT RAISE(ABORT, 'ticketEvent is append-only'); END;
                """)
        }

        migrator.registerMigration("v4-queues") { db in
            try db.create(table: "inbox") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("platform", .text).notNull()
                t.column("eventID", .text).notNull()
                t.column("conversationKey", .text).notNull()
                t.column("payload", .text).notNull()
                t.column("receivedAt", .datetime).notNull()
                t.column("status", .text).notNull().check(sql: "status IN ('pending', 'done', 'failed')")
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("processedAt", .datetime)
                t.column("lastError", .text)
                // Platforms redeliver on timeouts; this key is what makes a redelivery a no-op.
                t.uniqueKey(["platform", "eventID"])
            }
            try db.create(index: "inbox_status_id", on: "inbox", columns: ["status", "id"])

            try db.create(table: "outbox") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("platform", .text).notNull()
                t.column("conversationKey", .text).notNull()
                t.column("idempotencyKey", .text).notNull().unique()
                t.column("payload", .text).notNull()
                t.column("status", .text).notNull().check(sql: "status IN ('pending', 'sending', 'sent', 'failed')")
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("nextAttemptAt", .datetime).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("sentAt", .datetime)
                t.column("lastError", .text)
            }
            try db.create(index: "outbox_status_nextAttemptAt", on: "outbox", columns: ["status", "nextAttemptAt"])
        }

        migrator.registerMigration("v5-accounts") { db in
            try db.create(table: "account") { t in
                t.autoIncrementedPrimaryKey("id")
                // NOCASE: names are assignees and history actors; two that differ only in case would be confused.
                t.column("name", .text).notNull().unique().collate(.nocase)
                t.column("role", .text).notNull().check(sql: "role IN ('admin', 'agent', 'editor', 'employee')")
                // Only the SHA-256 of the token: a leaked database file must not be a set of working credentials.
                t.column("tokenHash", .text).notNull().unique()
                // An account speaks for an employee; without the employee it has no one to speak for.
                t.column("employeeID", .integer).indexed().references("employee", onDelete: .cascade)
                t.column("createdAt", .datetime).notNull()
                t.column("disabledAt", .datetime)
                // An employee account without its employee could see nobody's tickets, or everybody's by mistake.
                t.check(sql: "role <> 'employee' OR employeeID IS NOT NULL")
            }
        }

        migrator.registerMigration("v6-desk") { db in
            // The employee directory's own id (`firstline users import`), so a re-import updates instead of duplicating.
            try db.alter(table: "employee") { t in t.add(column: "directoryID", .text) }
            try db.create(index: "employee_directoryID", on: "employee", columns: ["directoryID"], unique: true)

            try db.create(table: "approval") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("ticketID", .integer).notNull().unique().references("ticket")
                t.column("approverEmployeeID", .integer).references("employee", onDelete: .setNull)
                t.column("status", .text).notNull().check(sql: "status IN ('pending', 'approved', 'rejected')")
                t.column("requestedAt", .datetime)
                t.column("remindersSent", .integer).notNull().defaults(to: 0)
                t.column("decidedAt", .datetime)
                t.column("decidedBy", .text)
                t.column("createdAt", .datetime).notNull()
            }

            try db.create(table: "deskTimer") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("ticketID", .integer).notNull().indexed().references("ticket")
                t.column("kind", .text).notNull()
                t.column("dueAt", .datetime).notNull()
                t.column("status", .text).notNull().check(sql: "status IN ('pending', 'done', 'cancelled')")
                t.column("detail", .text)
                t.column("createdAt", .datetime).notNull()
                t.column("firedAt", .datetime)
            }
            try db.create(index: "deskTimer_status_dueAt", on: "deskTimer", columns: ["status", "dueAt"])

            // Round-robin turn per team: the agent who got the team's last automatic assignment.
            try db.create(table: "routingCursor") { t in
                t.primaryKey("teamID", .text)
                t.column("agentID", .text).notNull()
            }
            // Agents who let a ticket go unanswered; automatic routing does not give it back to them.
            try db.create(table: "ticketPassOver") { t in
                t.column("ticketID", .integer).notNull().references("ticket")
                t.column("agentID", .text).notNull()
                t.primaryKey(["ticketID", "agentID"])
            }
            // Agents who said they are away; absent means available (within their hours).
            try db.create(table: "agentPresence") { t in
                t.primaryKey("agentID", .text)
                t.column("online", .boolean).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
        }

        migrator.registerMigration("v7-outbox-message-id") { db in
            // The platform's id of a sent message (Slack ts): replies in its thread refer to it.
            try db.alter(table: "outbox") { t in t.add(column: "platformMessageID", .text) }
            try db.create(index: "outbox_conversation_platformMessageID", on: "outbox",
                          columns: ["conversationKey", "platformMessageID"])
        }

        migrator.registerMigration("v8-outbox-parts") { db in
            try db.alter(table: "outbox") { t in t.add(column: "partsSent", .integer).notNull().defaults(to: 0) }
        }

        migrator.registerMigration("v9-incidents") { db in
            try db.create(table: "incident") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("topic", .text).notNull()
                t.column("status", .text).notNull()
                    .check(sql: "status IN ('suspected', 'confirmed', 'dismissed', 'resolved')")
                t.column("reporters", .integer).notNull()
                t.column("reports", .integer).notNull()
                t.column("normalLevel", .double).notNull()
                t.column("firstReportAt", .datetime).notNull()
                t.column("raisedAt", .datetime).notNull()
                t.column("decidedAt", .datetime)
                t.column("decidedBy", .text)
                t.column("resolvedAt", .datetime)
                t.column("notice", .text)
                t.column("resolutionNote", .text)
                t.column("resolvedBy", .text)
            }
            // "Me too" reports and tickets of a confirmed incident: one row per conversation, and a
            // ticket belongs to one incident at most.
            try db.create(table: "incidentLink") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("incidentID", .integer).notNull().references("incident")
                t.column("conversationID", .integer).references("conversation")
                t.column("ticketID", .integer).unique().references("ticket")
                t.column("text", .text)
                t.column("linkedAt", .datetime).notNull()
                t.column("linkedBy", .text).notNull()
                t.column("unlinkedAt", .datetime)
                t.column("notifiedAt", .datetime)
                t.uniqueKey(["incidentID", "conversationID"])
            }
            // One open incident per topic, whoever raises it.
            try db.execute(sql: """
                CREATE UNIQUE INDEX incident_open_topic ON incident(topic) WHERE status IN ('suspected', 'confirmed')
                """)
            // The detector reads reports by time: articles shown and tickets opened.
            try db.create(index: "suggestion_shownAt", on: "suggestion", columns: ["shownAt"])
            try db.create(index: "ticket_createdAt", on: "ticket", columns: ["createdAt"])
        }

        migrator.registerMigration("v10-leases") { db in
            // Who holds a row of shared work and until when (issue 13). Only a store that replicas share fills
            // them; on SQLite (one process per file) they stay NULL, and the tables stay in step.
            for table in ["inbox", "outbox", "deskTimer"] {
                try db.alter(table: table) { t in
                    t.add(column: "claimedBy", .text)
                    t.add(column: "leaseUntil", .datetime)
                }
            }
            // A claim takes the oldest pending event of each conversation: it looks for earlier ones by key.
            try db.execute(sql: """
                CREATE INDEX inbox_pending_conversation ON inbox(platform, conversationKey, id) WHERE status = 'pending'
                """)
            try db.execute(sql: """
                CREATE INDEX outbox_open_conversation ON outbox(platform, conversationKey, id)
                    WHERE status IN ('pending', 'sending')
                """)
        }

        migrator.registerMigration("v11-shared-content") { db in
            // Articles published through the editors' API, kept so that every replica can write them into its
            // own knowledge-base folder (issue 13). Append-only: the newest row of an article is its text.
            try db.create(table: "publishedArticle") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("lang", .text).notNull()
                t.column("articleID", .text).notNull()
                t.column("markdown", .text).notNull()
                t.column("publishedAt", .datetime).notNull()
            }
            try db.create(index: "publishedArticle_lang_articleID", on: "publishedArticle", columns: ["lang", "articleID", "id"])
            // The replicas' poll reads the newest verdict time: an index answers it without a scan.
            try db.create(index: "suggestion_feedbackAt", on: "suggestion", columns: ["feedbackAt"])
        }

        migrator.registerMigration("v12-chat-sessions") { db in
            // Web chat sessions the server issued (issue 15): only the SHA-256 of each is kept, so the
            // file (and every backup of it) holds nothing a stranger could present as a session.
            try db.create(table: "chatSession") { t in
                t.primaryKey("keyHash", .text)
                t.column("createdAt", .datetime).notNull()
            }
        }

        migrator.registerMigration("v13-console-sessions") { db in
            // The console's sign-ins: only the SHA-256 of the cookie's value is kept.
            try db.create(table: "consoleSession") { t in
                t.column("tokenHash", .text).primaryKey()
                t.column("accountName", .text).notNull()
                t.column("role", .text).notNull()
                t.column("employeeID", .integer)
                t.column("csrf", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull()
                t.column("revokedAt", .datetime)
            }
        }

        migrator.registerMigration("v14-article-versions") { db in
            // Every draft and publication of an article, with who and the whole file (issue 14, point 3).
            // Append-only: a restore is a new row.
            try db.create(table: "articleVersion") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("lang", .text).notNull()
                t.column("articleID", .text).notNull()
                t.column("kind", .text).notNull().check(sql: "kind IN ('draft', 'published')")
                t.column("author", .text).notNull()
                t.column("markdown", .text).notNull()
                t.column("note", .text)
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(index: "articleVersion_lang_articleID", on: "articleVersion", columns: ["lang", "articleID", "id"])
        }

        migrator.registerMigration("v15-delivery") { db in
            // Issue 15: a row whose last attempt may have reached the platform without our record of it (found
            // mid-send after a crash or a lease take-over, or a request that got no answer). The worker resolves
            // it before sending again: Slack looks it up in the conversation's history, LINE relies on its retry
            // key, the others resend and count it.
            try db.alter(table: "outbox") { t in t.add(column: "inDoubt", .boolean).notNull().defaults(to: false) }
        }

        migrator.registerMigration("v16-web-session-keys") { db in
            // Issue 15: web conversations were filed under the session itself, a bearer secret; from now on
            // under `WebChatKey.conversationKey(session)`. Rows written before are renamed the same way, the
            // inbox's payload too (its `channelKey` and `userID` are the session), so a chat goes on after the
            // upgrade and no session is left in the file. Sign-on identities (`sign-on:…`) are not sessions.
            let webKey = DatabaseFunction("firstline_web_key", argumentCount: 1, pure: true) { values in
                String.fromDatabaseValue(values[0]).map(WebChatKey.conversationKey)
            }
            db.add(function: webKey)
            defer { db.remove(function: webKey) }
            func unhashed(_ column: String) -> String { "platform = 'web' AND \(column) NOT LIKE '\(WebChatKey.prefix)%'" }
            func rename(_ table: String, _ column: String, extra: String = "") throws {
                try db.execute(sql: "UPDATE \(table) SET \(column) = firstline_web_key(\(column)) WHERE " + unhashed(column) + extra)
            }
            try db.execute(sql: """
                UPDATE inbox SET payload = json_set(payload, '$.channelKey', firstline_web_key(conversationKey),
                                                    '$.userID', firstline_web_key(conversationKey))
                WHERE CASE WHEN json_valid(payload) THEN json_type(payload) = 'object' ELSE 0 END AND
                """ + " " + unhashed("conversationKey"))
            try rename("inbox", "conversationKey")
            try rename("outbox", "conversationKey")
            try rename("conversation", "channelKey")
            try rename("identity", "platformUserID", extra: " AND platformUserID NOT LIKE 'sign-on:%'")
        }

        return migrator
    }
}
