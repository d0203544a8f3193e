// Package schemas holds chathook's JSON Schemas (draft 2020-12) for the
// webhooks of Chatwoot (and its rebrands) and Swiftsell (and ReplyCX), and
// validates payloads against them.
//
// The schemas are embedded and compiled hermetically: every file carries a
// $id under BaseURI, refs are relative, and nothing outside the embedded set
// is ever loaded. They model what the platforms really send, in every
// version a receiver may meet; where the platform's documentation is wrong,
// a $comment in the schema says so.
//
// A platform is data (platforms/<name>.json): its name, aliases, root schema,
// where its event names live, and how to recognise its bodies. Event names are
// derived from the schema files, so the set of files is the single source for
// the CLI, the generator and the suites.
//
// Objects whose keys are known are closed. A key the schema does not know is
// reported as drift, a warning (the platform may have added a field), and is an
// error only in strict mode; every other violation is an error. To tell the two
// apart the set compiles each schema twice: as written, and with closed objects
// opened.
package schemas
