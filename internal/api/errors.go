// Package api is the Filing API v1 as Go types: the request and response
// bodies, the stable error codes and their HTTP statuses, and the
// problem+json error shape (RFC 9457). The server encodes these types and
// the client decodes them, so the two cannot disagree; docs/openapi.yaml
// describes the same shapes for any other implementation.
package api

import (
	"fmt"
	"net/http"
	"strings"
)

// Code is a stable, machine-readable error code. Clients localise by code,
// never by the English detail.
type Code string

// Every error code the server can return. Adding one means adding its status
// below, its messages in the client's catalogue (internal/i18n), and its
// entry in docs/openapi.yaml.
const (
	CodeMalformedRequest     Code = "malformed_request"      // the body is not JSON, or not the expected shape
	CodeValidationFailed     Code = "validation_failed"      // see Problem.Errors: every bad field at once
	CodeBodyTooLarge         Code = "body_too_large"         // over 1 MiB (attachments: 10 MiB)
	CodeUnsupportedMediaType Code = "unsupported_media_type" // wrong Content-Type, or an attachment that is not PDF/PNG/JPEG
	CodeUnauthenticated      Code = "unauthenticated"        // no or unknown token, wrong password
	CodeTokenExpired         Code = "token_expired"
	CodeForbidden            Code = "forbidden" // authenticated, but not allowed (another sponsor's site, outside the reviewer's area)
	CodeNotFound             Code = "not_found"
	CodeMethodNotAllowed     Code = "method_not_allowed"
	CodeVersionConflict      Code = "version_conflict"      // If-Match does not match the current version
	CodePreconditionRequired Code = "precondition_required" // an update without If-Match
	CodeIdempotencyConflict  Code = "idempotency_conflict"  // the same Idempotency-Key with a different request
	CodeDomainTaken          Code = "domain_taken"          // another subject holds the domain
	CodeDomainYours          Code = "domain_yours"          // this account already has a site with it
	CodeDomainClaimable      Code = "domain_claimable"      // an earlier filing of it waits to be claimed
	CodeLoginTaken           Code = "login_taken"
	CodeMobileTaken          Code = "mobile_taken"
	CodeSubjectTaken         Code = "subject_taken"    // the certificate number belongs to another account
	CodeSubjectRequired      Code = "subject_required" // file the hosting subject first
	// CodeSubjectNotApproved refuses a reviewer's approval of a site whose
	// hosting subject is still waiting: the reviewer's task, not the sponsor's.
	CodeSubjectNotApproved Code = "subject_not_approved"
	CodeTransitionRefused  Code = "transition_refused"
	CodeSMSCodeInvalid     Code = "sms_code_invalid"
	CodeSMSBlacklisted     Code = "sms_blacklisted" // the SMS provider refuses the number (FAQ item 12)
	CodeClaimRefused       Code = "claim_refused"   // the proof does not match the earlier filing
	CodeRateLimited        Code = "rate_limited"
	CodeUnavailable        Code = "unavailable" // database down, or the sandbox's injected 503
	CodeInternal           Code = "internal"
)

// statusOf maps every code to its HTTP status.
var statusOf = map[Code]int{
	CodeMalformedRequest:     http.StatusBadRequest,
	CodeValidationFailed:     http.StatusUnprocessableEntity,
	CodeBodyTooLarge:         http.StatusRequestEntityTooLarge,
	CodeUnsupportedMediaType: http.StatusUnsupportedMediaType,
	CodeUnauthenticated:      http.StatusUnauthorized,
	CodeTokenExpired:         http.StatusUnauthorized,
	CodeForbidden:            http.StatusForbidden,
	CodeNotFound:             http.StatusNotFound,
	CodeMethodNotAllowed:     http.StatusMethodNotAllowed,
	CodeVersionConflict:      http.StatusPreconditionFailed,
	CodePreconditionRequired: http.StatusPreconditionRequired,
	CodeIdempotencyConflict:  http.StatusUnprocessableEntity,
	CodeDomainTaken:          http.StatusConflict,
	CodeDomainYours:          http.StatusConflict,
	CodeDomainClaimable:      http.StatusConflict,
	CodeLoginTaken:           http.StatusConflict,
	CodeMobileTaken:          http.StatusConflict,
	CodeSubjectTaken:         http.StatusConflict,
	CodeSubjectRequired:      http.StatusConflict,
	CodeSubjectNotApproved:   http.StatusConflict,
	CodeTransitionRefused:    http.StatusConflict,
	CodeSMSCodeInvalid:       http.StatusUnprocessableEntity,
	CodeSMSBlacklisted:       http.StatusUnprocessableEntity,
	CodeClaimRefused:         http.StatusForbidden,
	CodeRateLimited:          http.StatusTooManyRequests,
	CodeUnavailable:          http.StatusServiceUnavailable,
	CodeInternal:             http.StatusInternalServerError,
}

// Codes lists every error code, for tests that check each has a status,
// an OpenAPI entry and a message in both languages.
func Codes() []Code {
	out := make([]Code, 0, len(statusOf))
	for c := range statusOf {
		out = append(out, c)
	}
	return out
}

// Status is the HTTP status the server answers with for a code.
func (c Code) Status() int {
	if s, ok := statusOf[c]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// FieldError names one bad field of a request: the JSON path of the field
// (for example "site.extra_domains[2]") and a stable code ("domain_invalid").
//
// Params carries the specifics a code's message is built from, by name, for
// the few codes that have them (area_functional_zone: area_code, zone, city,
// counties), so that a client renders them in its user's language.
type FieldError struct {
	Field   string            `json:"field"`
	Code    string            `json:"code"`
	Message string            `json:"message,omitempty"`
	Params  map[string]string `json:"params,omitempty"`
}

// Problem is an application/problem+json body (RFC 9457) with the
// platform's extensions.
type Problem struct {
	Type      string       `json:"type,omitempty"`
	Title     string       `json:"title"`
	Status    int          `json:"status"`
	Detail    string       `json:"detail,omitempty"`
	Instance  string       `json:"instance,omitempty"`
	Code      Code         `json:"code"`
	Errors    []FieldError `json:"errors,omitempty"`
	RequestID string       `json:"request_id,omitempty"`
	// Conflict details: for domain_yours, the site that already holds the
	// domain and its state; for domain_taken, the public record number if any.
	SiteID       string `json:"site_id,omitempty"`
	SiteState    string `json:"site_state,omitempty"`
	RecordNumber string `json:"record_number,omitempty"`
	// RetryAfter, in seconds, for rate_limited and unavailable.
	RetryAfter int `json:"retry_after,omitempty"`
}

// ContentTypeProblem is the media type of error bodies.
const ContentTypeProblem = "application/problem+json"

// Error makes *Problem an error, so handlers can return it and the client
// can inspect it with errors.As.
func (p *Problem) Error() string {
	var b strings.Builder
	b.WriteString(string(p.Code))
	if p.Detail != "" {
		b.WriteString(": ")
		b.WriteString(p.Detail)
	}
	for _, fe := range p.Errors {
		fmt.Fprintf(&b, "; %s: %s", fe.Field, fe.Code)
	}
	return b.String()
}

// NewProblem builds a problem for code with an English detail.
func NewProblem(code Code, detail string) *Problem {
	st := code.Status()
	return &Problem{Type: "https://beian.dev/problems/" + string(code), Title: http.StatusText(st), Status: st, Code: code, Detail: detail}
}

// Invalid builds a validation_failed problem listing every bad field.
func Invalid(errs []FieldError) *Problem {
	p := NewProblem(CodeValidationFailed, "the request has invalid fields")
	p.Errors = errs
	return p
}
