// Package filingio is the non-interactive half of `beian file` and `beian
// amend`, shared with the interactive forms: reading a filing document from
// YAML (`--from FILE|-`, the API's field names: a document with `subject:`
// and `site:`), writing the commented template (`--template`) in the user's
// language, validating and submitting it (`--dry-run` asks the server to
// validate and create nothing), and waiting for the review (`--wait`).
package filingio
