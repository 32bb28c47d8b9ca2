// Package cmdutil holds what every beian command shares: the Factory of
// lazily built dependencies, the exit codes of SPEC §7 as typed errors, and
// small helpers for flags and prompts. Commands depend on this package and
// on nothing global.
package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/output"
)

// Exit codes (SPEC §7). Scripts rely on them; they never change meaning.
const (
	ExitOK           = 0
	ExitFailure      = 1  // anything else: server down, bug, unreadable file
	ExitCancel       = 2  // the user interrupted (Ctrl-C) or declined
	ExitUsage        = 3  // bad flags or arguments, a missing value without a terminal
	ExitAuth         = 4  // authentication needed or refused
	ExitInvalid      = 5  // input rejected (validation)
	ExitConflict     = 6  // domain taken or yours, stale version, refused transition
	ExitChanges      = 7  // plan: applying the fleet would change something
	ExitPending      = 8  // status --exit-status: under review
	ExitActionNeeded = 9  // status --exit-status: draft, returned, unrecorded, to_claim
	ExitCancelled    = 10 // status --exit-status: cancelled
)

// ExitError ends the program with Code. With Silent set, Main prints
// nothing more (the command has already said what there was to say, or the
// exit code is the whole answer, as for `check` and `status --exit-status`).
type ExitError struct {
	Code   int
	Err    error
	Silent bool
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// Exit wraps err with an exit code.
func Exit(code int, err error) error { return &ExitError{Code: code, Err: err} }

// SilentExit ends with code and prints nothing.
func SilentExit(code int) error { return &ExitError{Code: code, Silent: true} }

// ErrCancel is returned when the user interrupts or declines: exit 2.
var ErrCancel = errors.New("cancelled")

// FlagError is a usage error: a bad flag, a bad argument, or a value that
// is missing and cannot be prompted for. It exits 3.
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

// FlagErrorf builds a FlagError.
func FlagErrorf(format string, args ...any) error {
	return &FlagError{Err: fmt.Errorf(format, args...)}
}

// MissingFlagError says a required value was not given and could not be
// asked for (no terminal, or --no-input). Its message names the flag, so a
// script's author knows at once what to add.
type MissingFlagError struct {
	Flag string // "--password-stdin", "--from FILE"
}

func (e *MissingFlagError) Error() string {
	return fmt.Sprintf("a value is missing and there is no terminal to ask for it (or --no-input is set): give %s", e.Flag)
}

// ProblemExitCode maps an API error code to the exit code of SPEC §7.
func ProblemExitCode(c api.Code) int {
	switch c {
	case api.CodeUnauthenticated, api.CodeTokenExpired, api.CodeForbidden, api.CodeClaimRefused:
		return ExitAuth
	case api.CodeValidationFailed, api.CodeMalformedRequest, api.CodeBodyTooLarge,
		api.CodeUnsupportedMediaType, api.CodeSMSCodeInvalid, api.CodeSMSBlacklisted:
		return ExitInvalid
	case api.CodeDomainTaken, api.CodeDomainYours, api.CodeDomainClaimable, api.CodeVersionConflict,
		api.CodePreconditionRequired, api.CodeIdempotencyConflict, api.CodeLoginTaken,
		api.CodeMobileTaken, api.CodeSubjectTaken, api.CodeSubjectRequired, api.CodeSubjectNotApproved, api.CodeTransitionRefused:
		return ExitConflict
	}
	return ExitFailure
}

// ExitCodeOf decides the exit code for an error returned by a command.
func ExitCodeOf(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	var fe *FlagError
	var mf *MissingFlagError
	var jq *output.JQError
	if errors.As(err, &fe) || errors.As(err, &mf) || errors.As(err, &jq) || errors.Is(err, output.ErrSheetFormat) {
		return ExitUsage
	}
	if errors.Is(err, ErrCancel) || errors.Is(err, context.Canceled) {
		return ExitCancel
	}
	var p *api.Problem
	if errors.As(err, &p) {
		return ProblemExitCode(p.Code)
	}
	var coded interface{ Code() string }
	if errors.As(err, &coded) {
		switch coded.Code() {
		case "validation_failed", "record_number_invalid", "yaml_invalid", "fleet_invalid":
			return ExitInvalid
		case "not_signed_in":
			return ExitAuth
		}
	}
	return ExitFailure
}

// IsNetworkError reports whether err is a failure to reach the server
// (refused, unreachable, DNS, timeout) rather than an answer from it.
func IsNetworkError(err error) bool {
	var ne net.Error
	var ue *url.Error
	var oe *net.OpError
	return errors.As(err, &oe) || errors.As(err, &ue) || errors.As(err, &ne)
}

// SilentExitIf returns nil for ExitOK and a silent exit otherwise.
func SilentExitIf(code int) error {
	if code == ExitOK {
		return nil
	}
	return SilentExit(code)
}
