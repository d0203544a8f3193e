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
// error only in strict mode; every other violation is an error. One
// validation pass tells the two apart: an unknown key is a failure of the
// additionalProperties keyword of a closed object, every other failure is an
// error. This holds because no closed object sits where its failure could
// change the outcome of another keyword (under if, not, oneOf, contains or
// propertyNames; loading refuses such a schema), and because of an anyOf the
// branch failing only by drift is the one reported.
//
// Bodies are decoded by a guarded parser (see MaxNumberLength, MaxExponent,
// MaxDepth and KeywordGuard) so that nothing the platforms cannot send, and
// nothing that could make the validator spin or panic, reaches it.
package schemas
