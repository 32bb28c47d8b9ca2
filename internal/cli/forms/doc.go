// Package forms holds the interactive prompts of `beian file` and `beian
// amend`, built on huh. Every builder is a pure function: given what is known
// so far, it returns the form and a pointer to the result the form fills in,
// and does nothing else — no terminal, no network. Running a form (Runner),
// journalling answers and talking to the server belong to the commands.
//
// Fields are checked as they are accepted with the same rules core the
// server uses (internal/filing, and through it ident, domainname and area),
// so a mistake is corrected in place rather than refused at the end. Domains
// are also checked against the server for duplicates through Env.CheckDomain.
//
// Accessible mode (plain line prompts) skips huh's own validation in places
// (a Confirm ignores its Validate func, and at end of input every prompt
// quietly takes its default), so the commands re-validate the whole filing
// after the last form returns; nothing here relies on a form having
// enforced its rules.
package forms
