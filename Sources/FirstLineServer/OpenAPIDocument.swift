import Foundation
import Hummingbird

/// The OpenAPI 3.1 description of `/api/v1` (issue 15, point 6), served at `GET /api/v1/openapi.json`.
/// Kept in code, like the pages, so the binary needs no resource folder; `OpenAPITests` checks every
/// registered `/api/v1` route (method and path) against its paths, and the reverse.
enum OpenAPIDocument {
    static func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
    }

    static let json = #"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "FirstLine helpdesk API",
        "version": "1",
        "description": "The web chat (sessions issued by POST /api/v1/chat/sessions, kept in the HttpOnly firstline_session cookie) and the agents', editors' and admins' API (Authorization: Bearer TOKEN). Every error is {\"error\":{\"code\",\"message\"}}; over a rate limit the answer is 429 with Retry-After; while the database refuses writes (disk full, read-only file) any write answers 503 storage_unavailable with Retry-After."
      },
      "servers": [
        {
          "url": "/"
        }
      ],
      "paths": {
        "/api/v1/openapi.json": {
          "get": {
            "summary": "This document",
            "responses": {
              "200": {
                "description": "OpenAPI 3.1",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object"
                    }
                  }
                }
              }
            }
          }
        },
        "/api/v1/chat/sessions": {
          "post": {
            "summary": "Issue a web chat session (also set as the HttpOnly firstline_session cookie)",
            "responses": {
              "201": {
                "description": "A new session",
                "headers": {
                  "Set-Cookie": {
                    "schema": {
                      "type": "string"
                    }
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Session"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            }
          }
        },
        "/api/v1/chat/messages": {
          "post": {
            "summary": "Send a text or press a button in a web chat session",
            "responses": {
              "200": {
                "description": "The bot's replies",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/ChatAnswer"
                    }
                  }
                }
              },
              "400": {
                "description": "Malformed request",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "404": {
                "description": "Not found",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "413": {
                "description": "Body too large",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "422": {
                "description": "A field has a value the API does not accept",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "$ref": "#/components/schemas/ChatMessage"
                  }
                }
              }
            }
          },
          "get": {
            "summary": "Replies that arrived for the session since its last request",
            "responses": {
              "200": {
                "description": "Waiting replies",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/ChatPoll"
                    }
                  }
                }
              },
              "400": {
                "description": "Malformed request",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "404": {
                "description": "Not found",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "parameters": [
              {
                "name": "session",
                "in": "query",
                "required": false,
                "schema": {
                  "type": "string",
                  "maxLength": 128
                },
                "description": "The session; without it, the firstline_session cookie"
              }
            ]
          }
        },
        "/api/v1/chat/history": {
          "get": {
            "summary": "The session's conversation so far",
            "responses": {
              "200": {
                "description": "The transcript",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/ChatHistory"
                    }
                  }
                }
              },
              "400": {
                "description": "Malformed request",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "404": {
                "description": "Not found",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "parameters": [
              {
                "name": "session",
                "in": "query",
                "required": false,
                "schema": {
                  "type": "string",
                  "maxLength": 128
                },
                "description": "The session; without it, the firstline_session cookie"
              }
            ]
          }
        },
        "/api/v1/chat/profile": {
          "post": {
            "summary": "Set the optional name and e-mail of an anonymous session",
            "responses": {
              "200": {
                "description": "Saved",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/ChatProfile"
                    }
                  }
                }
              },
              "409": {
                "description": "The name comes from the company sign-on",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "400": {
                "description": "Malformed request",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "404": {
                "description": "Not found",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "413": {
                "description": "Body too large",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "422": {
                "description": "A field has a value the API does not accept",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "session": {
                        "type": "string",
                        "maxLength": 128
                      },
                      "name": {
                        "type": "string",
                        "maxLength": 100
                      },
                      "email": {
                        "type": "string",
                        "maxLength": 254
                      }
                    }
                  }
                }
              }
            }
          }
        },
        "/api/v1/me": {
          "get": {
            "summary": "The caller: name, role, permissions",
            "responses": {
              "200": {
                "description": "The principal",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Me"
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "security": [
              {
                "bearer": []
              }
            ]
          }
        },
        "/api/v1/users": {
          "get": {
            "summary": "Every account (admins)",
            "responses": {
              "200": {
                "description": "Accounts",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "properties": {
                        "users": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Account"
                          }
                        }
                      },
                      "required": [
                        "users"
                      ]
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "security": [
              {
                "bearer": []
              }
            ]
          },
          "post": {
            "summary": "Create an account; its token is shown once",
            "responses": {
              "201": {
                "description": "The account with its token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Account"
                    }
                  }
                }
              },
              "400": {
                "description": "Malformed request",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "404": {
                "description": "Not found",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "409": {
                "description": "Conflicts with the current state",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "413": {
                "description": "Body too large",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "422": {
                "description": "A field has a value the API does not accept",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "security": [
              {
                "bearer": []
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "name": {
                        "type": "string"
                      },
                      "role": {
                        "type": "string",
                        "enum": [
                          "admin",
                          "agent",
                          "editor",
                          "employee"
                        ]
                      },
                      "employee_id": {
                        "type": "integer"
                      }
                    },
                    "required": [
                      "name",
                      "role"
                    ]
                  }
                }
              }
            }
          }
        },
        "/api/v1/tickets": {
          "get": {
            "summary": "Tickets, soonest due first",
            "responses": {
              "200": {
                "description": "Tickets",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/TicketList"
                    }
                  }
                }
              },
              "422": {
                "description": "A field has a value the API does not accept",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "security": [
              {
                "bearer": []
              }
            ],
            "parameters": [
              {
                "name": "status",
                "in": "query",
                "schema": {
                  "type": "string"
                },
                "description": "Comma-separated statuses: new, open, waiting, resolved, closed"
              },
              {
                "name": "team",
                "in": "query",
                "schema": {
                  "type": "string"
                }
              },
              {
                "name": "assignee",
                "in": "query",
                "schema": {
                  "type": "string"
                }
              },
              {
                "name": "requester",
                "in": "query",
                "schema": {
                  "type": "string"
                }
              },
              {
                "name": "category",
                "in": "query",
                "schema": {
                  "type": "string",
                  "enum": ["account", "network", "hardware", "software", "email", "security", "access", "facilities", "general"]
                }
              },
              {
                "name": "channel",
                "in": "query",
                "schema": {
                  "type": "string",
                  "enum": ["slack", "telegram", "line", "lineworks", "web", "terminal", "phone", "visit", "email"]
                }
              },
              {
                "name": "sla",
                "in": "query",
                "schema": {
                  "type": "string",
                  "enum": [
                    "at_risk",
                    "breached"
                  ]
                }
              },
              {
                "name": "limit",
                "in": "query",
                "schema": {
                  "type": "integer",
                  "minimum": 1
                }
              }
            ]
          },
          "post": {
            "summary": "Log a call or visit as a ticket",
            "responses": {
              "201": {
                "description": "The new ticket",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "properties": {
                        "ticket": {
                          "$ref": "#/components/schemas/Ticket"
                        }
                      },
                      "required": [
                        "ticket"
                      ]
                    }
                  }
                }
              },
              "400": {
                "description": "Malformed request",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "404": {
                "description": "Not found",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "413": {
                "description": "Body too large",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "422": {
                "description": "A field has a value the API does not accept",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "security": [
              {
                "bearer": []
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "employee": {
                        "type": "object",
                        "properties": {
                          "name": {
                            "type": "string"
                          },
                          "email": {
                            "type": "string"
                          }
                        },
                        "required": [
                          "name"
                        ]
                      },
                      "employee_id": {
                        "type": "integer"
                      },
                      "channel": {
                        "type": "string",
                        "description": "phone, visit or email; walk-in (also walkin, walk_in) is accepted for visit and stored as visit"
                      },
                      "subject": {
                        "type": "string"
                      },
                      "description": {
                        "type": "string"
                      },
                      "category": {
                        "type": "string"
                      },
                      "priority": {
                        "type": "string",
                        "enum": [
                          "P1",
                          "P2",
                          "P3",
                          "P4"
                        ]
                      }
                    },
                    "required": [
                      "channel",
                      "subject"
                    ]
                  }
                }
              }
            }
          }
        },
        "/api/v1/tickets/{number}": {
          "parameters": [
            {
              "name": "number",
              "in": "path",
              "required": true,
              "schema": {
                "type": "string"
              },
              "description": "Ticket number, e.g. HD-000042"
            }
          ],
          "get": {
            "summary": "A ticket with its transcript and history",
            "responses": {
              "200": {
                "description": "The ticket",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/TicketDetail"
                    }
                  }
                }
              },
              "404": {
                "description": "Not found",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "security": [
              {
                "bearer": []
              }
            ]
          },
          "patch": {
            "summary": "Change status, priority, category, team or assignee",
            "responses": {
              "200": {
                "description": "The ticket and the history events of the change",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/TicketChange"
                    }
                  }
                }
              },
              "409": {
                "description": "Not allowed in the ticket's state",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "400": {
                "description": "Malformed request",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "404": {
                "description": "Not found",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "413": {
                "description": "Body too large",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "422": {
                "description": "A field has a value the API does not accept",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "security": [
              {
                "bearer": []
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "status": {
                        "type": "string"
                      },
                      "priority": {
                        "type": "string"
                      },
                      "category": {
                        "type": "string"
                      },
                      "team": {
                        "type": "string"
                      },
                      "assignee": {
                        "type": "string"
                      }
                    }
                  }
                }
              }
            }
          }
        },
        "/api/v1/tickets/{number}/history": {
          "parameters": [
            {
              "name": "number",
              "in": "path",
              "required": true,
              "schema": {
                "type": "string"
              },
              "description": "Ticket number, e.g. HD-000042"
            }
          ],
          "get": {
            "summary": "The ticket's history events",
            "responses": {
              "200": {
                "description": "History",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "properties": {
                        "ticket": {
                          "type": "string"
                        },
                        "history": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/HistoryEvent"
                          }
                        }
                      },
                      "required": [
                        "ticket",
                        "history"
                      ]
                    }
                  }
                }
              },
              "404": {
                "description": "Not found",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "security": [
              {
                "bearer": []
              }
            ]
          }
        },
        "/api/v1/tickets/{number}/replies": {
          "parameters": [
            {
              "name": "number",
              "in": "path",
              "required": true,
              "schema": {
                "type": "string"
              },
              "description": "Ticket number, e.g. HD-000042"
            }
          ],
          "post": {
            "summary": "Reply to the employee in their chat",
            "responses": {
              "201": {
                "description": "The ticket and the history events of the change",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/TicketChange"
                    }
                  }
                }
              },
              "409": {
                "description": "Not allowed in the ticket's state",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "400": {
                "description": "Malformed request",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "404": {
                "description": "Not found",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "413": {
                "description": "Body too large",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "422": {
                "description": "A field has a value the API does not accept",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "security": [
              {
                "bearer": []
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "$ref": "#/components/schemas/TextBody"
                  }
                }
              }
            }
          }
        },
        "/api/v1/tickets/{number}/notes": {
          "parameters": [
            {
              "name": "number",
              "in": "path",
              "required": true,
              "schema": {
                "type": "string"
              },
              "description": "Ticket number, e.g. HD-000042"
            }
          ],
          "post": {
            "summary": "Add an internal note",
            "responses": {
              "201": {
                "description": "The ticket and the history events of the change",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/TicketChange"
                    }
                  }
                }
              },
              "400": {
                "description": "Malformed request",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "404": {
                "description": "Not found",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "413": {
                "description": "Body too large",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "422": {
                "description": "A field has a value the API does not accept",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "security": [
              {
                "bearer": []
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "$ref": "#/components/schemas/TextBody"
                  }
                }
              }
            }
          }
        },
        "/api/v1/tickets/{number}/resolve": {
          "parameters": [
            {
              "name": "number",
              "in": "path",
              "required": true,
              "schema": {
                "type": "string"
              },
              "description": "Ticket number, e.g. HD-000042"
            }
          ],
          "post": {
            "summary": "Resolve the ticket",
            "responses": {
              "200": {
                "description": "The ticket and the history events of the change",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/TicketChange"
                    }
                  }
                }
              },
              "409": {
                "description": "Not allowed in the ticket's state",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "400": {
                "description": "Malformed request",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "404": {
                "description": "Not found",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "413": {
                "description": "Body too large",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "422": {
                "description": "A field has a value the API does not accept",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "security": [
              {
                "bearer": []
              }
            ],
            "requestBody": {
              "required": false,
              "content": {
                "application/json": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "note": {
                        "type": "string"
                      }
                    }
                  }
                }
              }
            }
          }
        },
        "/api/v1/tickets/{number}/claim": {
          "parameters": [
            {
              "name": "number",
              "in": "path",
              "required": true,
              "schema": {
                "type": "string"
              },
              "description": "Ticket number, e.g. HD-000042"
            }
          ],
          "post": {
            "summary": "Take the ticket",
            "responses": {
              "200": {
                "description": "The ticket and the history events of the change",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/TicketChange"
                    }
                  }
                }
              },
              "409": {
                "description": "Already assigned, or over capacity",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "404": {
                "description": "Not found",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "security": [
              {
                "bearer": []
              }
            ]
          }
        },
        "/api/v1/tickets/{number}/approval": {
          "parameters": [
            {
              "name": "number",
              "in": "path",
              "required": true,
              "schema": {
                "type": "string"
              },
              "description": "Ticket number, e.g. HD-000042"
            }
          ],
          "post": {
            "summary": "Approve or reject a request held for approval",
            "responses": {
              "200": {
                "description": "The ticket and the history events of the change",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/TicketChange"
                    }
                  }
                }
              },
              "409": {
                "description": "Nothing to decide",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "400": {
                "description": "Malformed request",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "404": {
                "description": "Not found",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "413": {
                "description": "Body too large",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "422": {
                "description": "A field has a value the API does not accept",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "security": [
              {
                "bearer": []
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "decision": {
                        "type": "string",
                        "enum": [
                          "approve",
                          "reject"
                        ]
                      },
                      "note": {
                        "type": "string"
                      }
                    },
                    "required": [
                      "decision"
                    ]
                  }
                }
              }
            }
          }
        },
        "/api/v1/agents/me/presence": {
          "put": {
            "summary": "Say whether the calling agent is available",
            "responses": {
              "200": {
                "description": "The presence",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "properties": {
                        "agent": {
                          "type": "string"
                        },
                        "online": {
                          "type": "boolean"
                        }
                      },
                      "required": [
                        "agent",
                        "online"
                      ]
                    }
                  }
                }
              },
              "400": {
                "description": "Malformed request",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "413": {
                "description": "Body too large",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "security": [
              {
                "bearer": []
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "online": {
                        "type": "boolean"
                      }
                    },
                    "required": [
                      "online"
                    ]
                  }
                }
              }
            }
          }
        },
        "/api/v1/incidents": {
          "get": {
            "summary": "Suspected and decided incidents",
            "responses": {
              "200": {
                "description": "Incidents",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "properties": {
                        "incidents": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/Incident"
                          }
                        },
                        "count": {
                          "type": "integer"
                        }
                      },
                      "required": [
                        "incidents",
                        "count"
                      ]
                    }
                  }
                }
              },
              "422": {
                "description": "A field has a value the API does not accept",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "security": [
              {
                "bearer": []
              }
            ],
            "parameters": [
              {
                "name": "open",
                "in": "query",
                "schema": {
                  "type": "string",
                  "enum": [
                    "true",
                    "false"
                  ]
                }
              }
            ]
          },
          "post": {
            "summary": "Declare a major incident (confirmed at once)",
            "security": [
              {
                "bearer": []
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "article": {
                        "type": "string"
                      },
                      "term": {
                        "type": "string"
                      },
                      "notice": {
                        "type": "object",
                        "properties": {
                          "ko": {
                            "type": "string"
                          },
                          "ja": {
                            "type": "string"
                          },
                          "en": {
                            "type": "string"
                          }
                        }
                      }
                    }
                  }
                }
              }
            },
            "responses": {
              "201": {
                "description": "The declared incident",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Incident"
                    }
                  }
                }
              },
              "400": {
                "description": "Malformed body",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "409": {
                "description": "The change conflicts with the current state",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "413": {
                "description": "Body too large",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "422": {
                "description": "A field has a value the API does not accept",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            }
          }
        },
        "/api/v1/incidents/{number}": {
          "parameters": [
            {
              "name": "number",
              "in": "path",
              "required": true,
              "schema": {
                "type": "string"
              },
              "description": "Incident number, e.g. INC-1"
            }
          ],
          "get": {
            "summary": "One incident",
            "responses": {
              "200": {
                "description": "The incident",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Incident"
                    }
                  }
                }
              },
              "404": {
                "description": "Not found",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "security": [
              {
                "bearer": []
              }
            ]
          }
        },
        "/api/v1/incidents/{number}/confirm": {
          "parameters": [
            {
              "name": "number",
              "in": "path",
              "required": true,
              "schema": {
                "type": "string"
              },
              "description": "Incident number, e.g. INC-1"
            }
          ],
          "post": {
            "summary": "Confirm a suspected incident; links its open 'me too' tickets",
            "responses": {
              "200": {
                "description": "The incident",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Incident"
                    }
                  }
                }
              },
              "409": {
                "description": "Already decided",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "404": {
                "description": "Not found",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "security": [
              {
                "bearer": []
              }
            ]
          }
        },
        "/api/v1/incidents/{number}/dismiss": {
          "parameters": [
            {
              "name": "number",
              "in": "path",
              "required": true,
              "schema": {
                "type": "string"
              },
              "description": "Incident number, e.g. INC-1"
            }
          ],
          "post": {
            "summary": "Dismiss a suspected incident",
            "responses": {
              "200": {
                "description": "The incident",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Incident"
                    }
                  }
                }
              },
              "409": {
                "description": "Already decided",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "404": {
                "description": "Not found",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "security": [
              {
                "bearer": []
              }
            ]
          }
        },
        "/api/v1/kb/articles": {
          "get": {
            "summary": "Every article (editors)",
            "responses": {
              "200": {
                "description": "Articles",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "properties": {
                        "articles": {
                          "type": "array",
                          "items": {
                            "$ref": "#/components/schemas/ArticleSummary"
                          }
                        }
                      },
                      "required": [
                        "articles"
                      ]
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "security": [
              {
                "bearer": []
              }
            ]
          },
          "post": {
            "summary": "Create an article from Markdown with front matter",
            "responses": {
              "201": {
                "description": "The article",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object"
                    }
                  }
                }
              },
              "409": {
                "description": "Exists already",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "400": {
                "description": "Malformed request",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "413": {
                "description": "Body too large",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "422": {
                "description": "A field has a value the API does not accept",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "security": [
              {
                "bearer": []
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "$ref": "#/components/schemas/ArticleBody"
                  }
                }
              }
            }
          }
        },
        "/api/v1/kb/articles/{lang}/{id}": {
          "parameters": [
            {
              "name": "lang",
              "in": "path",
              "required": true,
              "schema": {
                "type": "string"
              }
            },
            {
              "name": "id",
              "in": "path",
              "required": true,
              "schema": {
                "type": "string"
              }
            }
          ],
          "get": {
            "summary": "One article's Markdown",
            "responses": {
              "200": {
                "description": "The article file",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "properties": {
                        "id": {
                          "type": "string"
                        },
                        "lang": {
                          "type": "string"
                        },
                        "markdown": {
                          "type": "string"
                        }
                      },
                      "required": [
                        "id",
                        "lang",
                        "markdown"
                      ]
                    }
                  }
                }
              },
              "404": {
                "description": "Not found",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "security": [
              {
                "bearer": []
              }
            ]
          },
          "put": {
            "summary": "Replace an article's Markdown",
            "responses": {
              "200": {
                "description": "The article",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object"
                    }
                  }
                }
              },
              "400": {
                "description": "Malformed request",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "404": {
                "description": "Not found",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "413": {
                "description": "Body too large",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "422": {
                "description": "A field has a value the API does not accept",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "security": [
              {
                "bearer": []
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "$ref": "#/components/schemas/ArticleBody"
                  }
                }
              }
            }
          }
        },
        "/api/v1/incidents/{number}/resolve": {
          "parameters": [
            {
              "name": "number",
              "in": "path",
              "required": true,
              "schema": {
                "type": "string"
              },
              "description": "Incident number, e.g. INC-1"
            }
          ],
          "post": {
            "summary": "Resolve a confirmed incident and tell everyone linked",
            "security": [
              {
                "bearer": []
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "note": {
                        "type": "object",
                        "properties": {
                          "ko": {
                            "type": "string"
                          },
                          "ja": {
                            "type": "string"
                          },
                          "en": {
                            "type": "string"
                          }
                        }
                      }
                    }
                  }
                }
              }
            },
            "responses": {
              "200": {
                "description": "The resolved incident",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Incident"
                    }
                  }
                }
              },
              "400": {
                "description": "Malformed body",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "404": {
                "description": "Not found",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "409": {
                "description": "The change conflicts with the current state",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "413": {
                "description": "Body too large",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "422": {
                "description": "A field has a value the API does not accept",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            }
          }
        },
        "/api/v1/incidents/{number}/link": {
          "parameters": [
            {
              "name": "number",
              "in": "path",
              "required": true,
              "schema": {
                "type": "string"
              },
              "description": "Incident number, e.g. INC-1"
            }
          ],
          "post": {
            "summary": "Link an open ticket to a confirmed incident",
            "security": [
              {
                "bearer": []
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "ticket": {
                        "type": "string"
                      }
                    },
                    "required": [
                      "ticket"
                    ]
                  }
                }
              }
            },
            "responses": {
              "200": {
                "description": "The incident",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Incident"
                    }
                  }
                }
              },
              "400": {
                "description": "Malformed body",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "404": {
                "description": "Not found",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "409": {
                "description": "The change conflicts with the current state",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "413": {
                "description": "Body too large",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "422": {
                "description": "A field has a value the API does not accept",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            }
          }
        },
        "/api/v1/incidents/{number}/notice": {
          "parameters": [
            {
              "name": "number",
              "in": "path",
              "required": true,
              "schema": {
                "type": "string"
              },
              "description": "Incident number, e.g. INC-1"
            }
          ],
          "put": {
            "summary": "Write the known-issue notice (ko, ja, en)",
            "security": [
              {
                "bearer": []
              }
            ],
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {
                  "schema": {
                    "type": "object",
                    "properties": {
                      "ko": {
                        "type": "string"
                      },
                      "ja": {
                        "type": "string"
                      },
                      "en": {
                        "type": "string"
                      }
                    }
                  }
                }
              }
            },
            "responses": {
              "200": {
                "description": "The incident with its notice",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Incident"
                    }
                  }
                }
              },
              "400": {
                "description": "Malformed body",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "404": {
                "description": "Not found",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "409": {
                "description": "The change conflicts with the current state",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "413": {
                "description": "Body too large",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "422": {
                "description": "A field has a value the API does not accept",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            }
          },
          "delete": {
            "summary": "End the known-issue notice",
            "security": [
              {
                "bearer": []
              }
            ],
            "responses": {
              "200": {
                "description": "The incident without a notice",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Incident"
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "404": {
                "description": "Not found",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "409": {
                "description": "The change conflicts with the current state",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            }
          }
        },
        "/api/v1/reports": {
          "get": {
            "summary": "The helpdesk's figures for a period and the previous one",
            "security": [
              {
                "bearer": []
              }
            ],
            "parameters": [
              {
                "name": "from",
                "in": "query",
                "required": true,
                "schema": {
                  "type": "string",
                  "format": "date"
                }
              },
              {
                "name": "to",
                "in": "query",
                "required": true,
                "schema": {
                  "type": "string",
                  "format": "date"
                }
              },
              {
                "name": "tz",
                "in": "query",
                "schema": {
                  "type": "string"
                }
              }
            ],
            "responses": {
              "200": {
                "description": "Figures",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "properties": {
                        "from": {
                          "type": "string"
                        },
                        "to": {
                          "type": "string"
                        },
                        "time_zone": {
                          "type": "string"
                        },
                        "current": {
                          "type": "object"
                        },
                        "previous": {
                          "type": "object"
                        },
                        "definitions": {
                          "type": "object"
                        }
                      },
                      "required": [
                        "from",
                        "to",
                        "current",
                        "previous"
                      ]
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "422": {
                "description": "A field has a value the API does not accept",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            }
          }
        },
        "/api/v1/reports/gaps": {
          "get": {
            "summary": "The content-gap report: what the knowledge base did not settle, clustered",
            "security": [
              {
                "bearer": []
              }
            ],
            "parameters": [
              {
                "name": "from",
                "in": "query",
                "required": true,
                "schema": {
                  "type": "string",
                  "format": "date"
                }
              },
              {
                "name": "to",
                "in": "query",
                "required": true,
                "schema": {
                  "type": "string",
                  "format": "date"
                }
              },
              {
                "name": "tz",
                "in": "query",
                "schema": {
                  "type": "string"
                }
              }
            ],
            "responses": {
              "200": {
                "description": "Clusters",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "properties": {
                        "from": {
                          "type": "string"
                        },
                        "to": {
                          "type": "string"
                        },
                        "messages": {
                          "type": "integer"
                        },
                        "clusters": {
                          "type": "array",
                          "items": {
                            "type": "object"
                          }
                        }
                      },
                      "required": [
                        "clusters"
                      ]
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "422": {
                "description": "A field has a value the API does not accept",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            }
          }
        },
        "/api/v1/tickets.csv": {
          "get": {
            "summary": "The period's tickets as CSV",
            "security": [
              {
                "bearer": []
              }
            ],
            "parameters": [
              {
                "name": "from",
                "in": "query",
                "required": true,
                "schema": {
                  "type": "string",
                  "format": "date"
                }
              },
              {
                "name": "to",
                "in": "query",
                "required": true,
                "schema": {
                  "type": "string",
                  "format": "date"
                }
              },
              {
                "name": "tz",
                "in": "query",
                "schema": {
                  "type": "string"
                }
              }
            ],
            "responses": {
              "200": {
                "description": "CSV",
                "content": {
                  "text/csv": {
                    "schema": {
                      "type": "string"
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "422": {
                "description": "A field has a value the API does not accept",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            }
          }
        },
        "/api/v1/reports.csv": {
          "get": {
            "summary": "One table of the report as CSV (formula-safe cells, as tickets.csv)",
            "description": "table is one of summary, sla, backlog, category, team, channel, intake, stars, agents, articles, terms, incidents; an unknown name is 422 listing them. period=previous gives the period of the same length before. Agents and admins.",
            "security": [
              {
                "bearer": []
              }
            ],
            "parameters": [
              {
                "name": "table",
                "in": "query",
                "required": true,
                "schema": {
                  "type": "string",
                  "enum": ["summary", "sla", "backlog", "category", "team", "channel", "intake", "stars", "agents", "articles", "terms", "incidents"]
                }
              },
              {
                "name": "period",
                "in": "query",
                "schema": {
                  "type": "string",
                  "enum": ["current", "previous"],
                  "default": "current"
                }
              },
              {
                "name": "from",
                "in": "query",
                "required": true,
                "schema": {
                  "type": "string",
                  "format": "date"
                }
              },
              {
                "name": "to",
                "in": "query",
                "required": true,
                "schema": {
                  "type": "string",
                  "format": "date"
                }
              },
              {
                "name": "tz",
                "in": "query",
                "schema": {
                  "type": "string"
                }
              }
            ],
            "responses": {
              "200": {
                "description": "CSV",
                "content": {
                  "text/csv": {
                    "schema": {
                      "type": "string"
                    }
                  }
                }
              },
              "401": {
                "description": "Missing, unknown or disabled token",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "403": {
                "description": "The role may not do this",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "422": {
                "description": "A field has a value the API does not accept",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "500": {
                "description": "Server failure, logged",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              },
              "429": {
                "description": "Over a rate limit",
                "headers": {
                  "Retry-After": {
                    "schema": {
                      "type": "integer"
                    },
                    "description": "Seconds to wait"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            }
          }
        }
      },
      "components": {
        "schemas": {
          "Error": {
            "type": "object",
            "properties": {
              "error": {
                "type": "object",
                "properties": {
                  "code": {
                    "type": "string"
                  },
                  "message": {
                    "type": "string"
                  },
                  "issues": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "properties": {
                        "line": {
                          "type": "integer"
                        },
                        "field": {
                          "type": [
                            "string",
                            "null"
                          ]
                        },
                        "message": {
                          "type": "string"
                        }
                      }
                    }
                  }
                },
                "required": [
                  "code",
                  "message"
                ]
              }
            },
            "required": [
              "error"
            ]
          },
          "Session": {
            "type": "object",
            "properties": {
              "session": {
                "type": "string",
                "minLength": 46,
                "maxLength": 46,
                "description": "ws_ and 43 base64url characters: 256 random bits"
              }
            },
            "required": [
              "session"
            ]
          },
          "ChatMessage": {
            "type": "object",
            "properties": {
              "session": {
                "type": "string",
                "maxLength": 128,
                "description": "Optional when the firstline_session cookie is sent"
              },
              "text": {
                "type": "string",
                "maxLength": 2000
              },
              "action": {
                "type": "string"
              }
            }
          },
          "Button": {
            "type": "object",
            "properties": {
              "action": {
                "type": "string"
              },
              "label": {
                "type": "string"
              }
            },
            "required": [
              "action",
              "label"
            ]
          },
          "ArticleReference": {
            "type": "object",
            "properties": {
              "id": {
                "type": "string"
              },
              "title": {
                "type": "string"
              },
              "score": {
                "type": "number"
              }
            },
            "required": [
              "id",
              "title"
            ]
          },
          "Reply": {
            "type": "object",
            "properties": {
              "text": {
                "type": "string"
              },
              "html": {
                "type": "string"
              },
              "buttons": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/Button"
                }
              },
              "articles": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/ArticleReference"
                }
              }
            },
            "required": [
              "text",
              "html",
              "buttons",
              "articles"
            ]
          },
          "ChatAnswer": {
            "type": "object",
            "properties": {
              "session": {
                "type": "string"
              },
              "replies": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/Reply"
                }
              },
              "state": {
                "type": "string"
              },
              "ticket": {
                "type": [
                  "string",
                  "null"
                ]
              }
            },
            "required": [
              "session",
              "replies",
              "state",
              "ticket"
            ]
          },
          "ChatPoll": {
            "type": "object",
            "properties": {
              "session": {
                "type": "string"
              },
              "replies": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/Reply"
                }
              }
            },
            "required": [
              "session",
              "replies"
            ]
          },
          "ChatHistory": {
            "type": "object",
            "properties": {
              "session": {
                "type": "string"
              },
              "messages": {
                "type": "array",
                "items": {
                  "type": "object",
                  "properties": {
                    "author": {
                      "type": "string"
                    },
                    "text": {
                      "type": "string"
                    },
                    "html": {
                      "type": "string"
                    },
                    "buttons": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/Button"
                      }
                    },
                    "at": {
                      "type": "string"
                    }
                  },
                  "required": [
                    "author",
                    "text",
                    "html",
                    "buttons",
                    "at"
                  ]
                }
              },
              "state": {
                "type": "string"
              },
              "ticket": {
                "type": [
                  "string",
                  "null"
                ]
              }
            },
            "required": [
              "session",
              "messages",
              "state",
              "ticket"
            ]
          },
          "ChatProfile": {
            "type": "object",
            "properties": {
              "session": {
                "type": "string"
              },
              "name": {
                "type": "string"
              },
              "email": {
                "type": [
                  "string",
                  "null"
                ]
              }
            },
            "required": [
              "session",
              "name"
            ]
          },
          "Me": {
            "type": "object",
            "properties": {
              "name": {
                "type": "string"
              },
              "role": {
                "type": "string"
              },
              "employee_id": {
                "type": [
                  "integer",
                  "null"
                ]
              },
              "permissions": {
                "type": "array",
                "items": {
                  "type": "string"
                }
              }
            },
            "required": [
              "name",
              "role",
              "permissions"
            ]
          },
          "Account": {
            "type": "object",
            "properties": {
              "name": {
                "type": "string"
              },
              "role": {
                "type": "string"
              },
              "employee_id": {
                "type": [
                  "integer",
                  "null"
                ]
              },
              "created_at": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "disabled_at": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "token": {
                "type": "string",
                "description": "Only in the answer that created the account"
              }
            },
            "required": [
              "name",
              "role"
            ]
          },
          "TextBody": {
            "type": "object",
            "properties": {
              "text": {
                "type": "string",
                "maxLength": 4000
              }
            },
            "required": [
              "text"
            ]
          },
          "ArticleBody": {
            "type": "object",
            "properties": {
              "markdown": {
                "type": "string"
              }
            },
            "required": [
              "markdown"
            ]
          },
          "ArticleSummary": {
            "type": "object",
            "properties": {
              "id": {
                "type": "string"
              },
              "lang": {
                "type": "string"
              },
              "title": {
                "type": "string"
              },
              "category": {
                "type": "string"
              },
              "status": {
                "type": "string"
              },
              "updated": {
                "type": [
                  "string",
                  "null"
                ]
              }
            },
            "required": [
              "id",
              "lang",
              "title",
              "category",
              "status"
            ]
          },
          "Ticket": {
            "type": "object",
            "properties": {
              "number": {
                "type": "string"
              },
              "subject": {
                "type": "string"
              },
              "status": {
                "type": "string"
              },
              "priority": {
                "type": "string"
              },
              "category": {
                "type": "string"
              },
              "channel": {
                "type": "string"
              },
              "team": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "assignee": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "requester": {
                "type": "object",
                "properties": {
                  "id": {
                    "type": "integer"
                  },
                  "name": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "email": {
                    "type": [
                      "string",
                      "null"
                    ]
                  }
                }
              },
              "rating": {
                "type": [
                  "integer",
                  "null"
                ]
              },
              "sla": {
                "type": "object",
                "properties": {
                  "state": {
                    "type": "string"
                  }
                }
              },
              "approval": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "awaiting_approval": {
                "type": "boolean"
              },
              "created_at": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "updated_at": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "first_response_due_at": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "resolution_due_at": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "first_responded_at": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "resolved_at": {
                "type": [
                  "string",
                  "null"
                ]
              }
            },
            "required": [
              "number",
              "subject",
              "status",
              "priority",
              "channel",
              "requester",
              "sla"
            ]
          },
          "TicketList": {
            "type": "object",
            "properties": {
              "tickets": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/Ticket"
                }
              },
              "count": {
                "type": "integer"
              }
            },
            "required": [
              "tickets",
              "count"
            ]
          },
          "HistoryEvent": {
            "type": "object",
            "properties": {
              "id": {
                "type": [
                  "integer",
                  "null"
                ]
              },
              "at": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "actor": {
                "type": "string"
              },
              "kind": {
                "type": "string"
              },
              "field": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "before": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "after": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "note": {
                "type": [
                  "string",
                  "null"
                ]
              }
            },
            "required": [
              "actor",
              "kind"
            ]
          },
          "TicketDetail": {
            "type": "object",
            "properties": {
              "ticket": {
                "$ref": "#/components/schemas/Ticket"
              },
              "transcript": {
                "type": "array",
                "items": {
                  "type": "object",
                  "properties": {
                    "at": {
                      "type": [
                        "string",
                        "null"
                      ]
                    },
                    "direction": {
                      "type": "string"
                    },
                    "author": {
                      "type": "string"
                    },
                    "text": {
                      "type": "string"
                    }
                  }
                }
              },
              "history": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/HistoryEvent"
                }
              }
            },
            "required": [
              "ticket",
              "transcript",
              "history"
            ]
          },
          "TicketChange": {
            "type": "object",
            "properties": {
              "ticket": {
                "$ref": "#/components/schemas/Ticket"
              },
              "events": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/HistoryEvent"
                }
              },
              "notified_employee": {
                "type": "boolean"
              }
            },
            "required": [
              "ticket",
              "events"
            ]
          },
          "Incident": {
            "type": "object",
            "properties": {
              "number": {
                "type": "string"
              },
              "topic": {
                "type": "string"
              },
              "status": {
                "type": "string"
              },
              "reporters": {
                "type": "integer"
              },
              "reports": {
                "type": "integer"
              },
              "normal_level": {
                "type": "number"
              },
              "first_report_at": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "raised_at": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "decided_at": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "decided_by": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "resolved_at": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "linked_tickets": {
                "type": "array",
                "items": {
                  "type": "string"
                }
              }
            },
            "required": [
              "number",
              "topic",
              "status"
            ]
          }
        },
        "securitySchemes": {
          "bearer": {
            "type": "http",
            "scheme": "bearer"
          }
        }
      }
    }
    """#
}
