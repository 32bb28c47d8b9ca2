package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/output"
)

func TestExitCodeOf(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, 0},
		{"plain", errors.New("boom"), 1},
		{"explicit", Exit(8, nil), 8},
		{"silent", SilentExit(6), 6},
		{"flag", FlagErrorf("bad --output"), 3},
		{"missing flag", &MissingFlagError{Flag: "--from"}, 3},
		{"jq", &output.JQError{Err: errors.New("x")}, 3},
		{"cancel", ErrCancel, 2},
		{"context cancelled", fmt.Errorf("wrapped: %w", context.Canceled), 2},
		{"unauthenticated", api.NewProblem(api.CodeUnauthenticated, ""), 4},
		{"token expired", api.NewProblem(api.CodeTokenExpired, ""), 4},
		{"forbidden", api.NewProblem(api.CodeForbidden, ""), 4},
		{"validation", api.Invalid([]api.FieldError{{Field: "site.name", Code: "required_missing"}}), 5},
		{"taken", api.NewProblem(api.CodeDomainTaken, ""), 6},
		{"yours", api.NewProblem(api.CodeDomainYours, ""), 6},
		{"stale", api.NewProblem(api.CodeVersionConflict, ""), 6},
		{"unavailable", api.NewProblem(api.CodeUnavailable, ""), 1},
		{"not found", api.NewProblem(api.CodeNotFound, ""), 1},
		{"wrapped problem", fmt.Errorf("submit: %w", api.NewProblem(api.CodeDomainTaken, "")), 6},
	}
	for _, tt := range tests {
		if got := ExitCodeOf(tt.err); got != tt.want {
			t.Errorf("%s: ExitCodeOf = %d, want %d", tt.name, got, tt.want)
		}
	}
}

// Every API code maps to a code of SPEC §7, and those answered with 401/403
// always mean "authentication needed or refused".
func TestEveryProblemCodeHasAnExitCode(t *testing.T) {
	valid := map[int]bool{1: true, 4: true, 5: true, 6: true}
	for _, c := range api.Codes() {
		got := ProblemExitCode(c)
		if !valid[got] {
			t.Errorf("%s → %d", c, got)
		}
		if (c.Status() == http.StatusUnauthorized) && got != ExitAuth {
			t.Errorf("%s (401) → %d, want 4", c, got)
		}
		if c.Status() == http.StatusUnprocessableEntity && c != api.CodeIdempotencyConflict && got != ExitInvalid {
			t.Errorf("%s (422) → %d, want 5", c, got)
		}
	}
}
