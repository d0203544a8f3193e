// Package releases holds what every Chatwoot release from 1.18.0 to 4.16.2
// sends to webhook receivers, as data read from Chatwoot's source at each
// release commit. It is the one place chathook keeps release facts: schemas,
// generator, mockplatform and suites all read them from here, and it imports
// nothing but the standard library so each of them can.
//
// The facts live in chatwoot.json (embedded): one entry per release, each
// listing only the facts that release changed, with the source file that
// says so. A release's facts are those changes folded over every release
// before it, so every fact is written once.
//
//	r, err := releases.Lookup("4.12")   // X.Y is the last patch: 4.12.1
//	r.Events(releases.AgentBot)         // events an agent bot gets
//	r.Signs(releases.Account)           // true from 4.12.0
//	r.UserAgent()                       // rest-client/2.1.0 (...) ruby/3.4.4p34
//	r.Redirects().FollowsPOST           // false up to 4.13
//	r.Retries(releases.AgentBot)        // 3 attempts 3 s apart on 429/500 from 4.12.0
//
// # Release numbers
//
// Lookup takes "X.Y.Z" (that release), "X.Y" (the last patch of the minor
// line, because patches are fixes an install of that line picks up), "X"
// (the last release of the major line), or "latest"/"" (Latest). Numbers
// outside the table are an error wrapping ErrUnknown.
//
// # Receiver kinds
//
// Account webhooks, API inbox webhook_url and agent bot outgoing_url are
// configured per account, inbox and bot, and from 4.12/4.13 signed and
// given delivery ids; automation rules, macros and the installation
// webhook post to URLs of their own, never signed and never with a delivery
// id. Events(k) is what kind k really gets:
//
//   - Account: before 2.5.0 every event (no subscription filter, and
//     conversation_opened/resolved included); from 2.5.0 what it subscribes
//     to, Subscriptions() minus Undeliverable() (inbox events from 3.2.0 to
//     4.14.0 fail to serialize and never leave the server).
//   - APIInbox: conversation and message events, typing from 4.2.0, never
//     contact or inbox events, and never webwidget_triggered (wired, but
//     only a web-widget inbox can trigger it).
//   - AgentBot: conversation_opened/resolved, message events and
//     webwidget_triggered; conversation_status_changed and
//     conversation_updated from 4.13.0.
//   - Automation: "automation_event: X" in 2.4.x, "automation_event.X" from
//     2.5.0, X one of the rule events of the release.
//   - Macro: "macro_event.{macro_name}" in 2.8.0 to 2.10.x, none from 2.11.0
//     to 4.0.4, "macro.executed" from 4.1.0.
//   - Installation: account_created in every release.
//
// # Payload shapes
//
// Keys(o) lists the keys each serializer writes, in its order, marking the
// ones sent only sometimes; MessageContent, ChangedAttributes and Format say
// what else differs. Lines() groups consecutive releases that send the same
// shapes, so a body that one release of a line sends, each could have sent.
//
// This API is stable: other packages depend on it. Add methods, do not
// change these.
package releases
