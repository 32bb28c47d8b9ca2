// The walker: it asks the steps in order, goes back, reopens from the review, fixes what the rules refuse.

package forms

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/beian-dev/beian/internal/filing"
)

// StepReview is the review page; the summary is shown before it.
const StepReview = "review"

// Walker runs steps on a terminal and reports each answered page.
type Walker struct {
	Runner *Runner
	Env    Env
	Steps  []Step
	// Saved is called after every page with the step just answered, so
	// the command can journal the answers; an error stops the walk.
	Saved func(step string, a *Answers) error
	// Partial is called when the user interrupts a page, with what was on
	// the screen applied to the answers: the page is not done (a resume
	// opens it again, prefilled), but nothing typed is lost.
	Partial func(step string, a *Answers)
	// Reopened is called when the user goes back a page: after is the
	// step before the page now open ("" for the first), so that a resume
	// opens it again.
	Reopened func(after string, a *Answers)
}

// Walk asks every applicable step after the step named after ("" starts at
// the beginning), in order.
func (w *Walker) Walk(ctx context.Context, a *Answers, after string) error {
	if !w.Runner.Accessible {
		defer holdInput(w.Runner.In)()
	}
	start := 0
	if after != "" {
		if i := slices.IndexFunc(w.Steps, func(s Step) bool { return s.ID == after }); i >= 0 {
			start = i + 1
		}
	}
	for i := start; i < len(w.Steps); i++ {
		s := w.Steps[i]
		if !s.applies(a) {
			continue
		}
		err := w.ask(ctx, s, a)
		if err == nil && s.ID == StepReview && a.Action == ActionEdit {
			// The review page reopens any page: ask it, then come back.
			if err := w.reopen(ctx, i, a); err != nil {
				return err
			}
			a.Action = ""
			i--
			continue
		}
		if errors.Is(err, ErrBack) {
			// What was typed on this page stays; the previous page that
			// applies opens, prefilled, and the walk goes on from there.
			prev := w.previous(i, a)
			if prev < 0 {
				i-- // the first page: ask it again
				continue
			}
			if w.Reopened != nil {
				w.Reopened(w.stepBefore(prev, a), a)
			}
			i = prev - 1
			continue
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// reopen asks which page before the review page (at i) to open again, and
// asks it.
func (w *Walker) reopen(ctx context.Context, review int, a *Answers) error {
	var pages []Step
	for _, s := range w.Steps[:review] {
		if s.applies(a) && len(s.Fields) > 0 {
			pages = append(pages, s)
		}
	}
	f, which := ReopenForm(w.Env, pages)
	if err := w.Runner.Run(ctx, f); err != nil {
		return err
	}
	for _, s := range pages {
		if s.ID == *which {
			err := w.ask(ctx, s, a)
			if errors.Is(err, ErrBack) {
				return nil // back to the review page
			}
			return err
		}
	}
	return nil
}

// previous is the index of the applicable step before i, or -1.
func (w *Walker) previous(i int, a *Answers) int {
	for j := i - 1; j >= 0; j-- {
		if w.Steps[j].applies(a) {
			return j
		}
	}
	return -1
}

// stepBefore is the ID of the applicable step before i, or "".
func (w *Walker) stepBefore(i int, a *Answers) string {
	if j := w.previous(i, a); j >= 0 {
		return w.Steps[j].ID
	}
	return ""
}

func (w *Walker) ask(ctx context.Context, s Step, a *Answers) error {
	if s.ID == StepReview {
		fmt.Fprint(w.Runner.Out, "\n"+Summary(w.Env, a.Subject, a.CheckedSite(), a.responsible())+"\n")
	}
	f, apply := s.Form(w.Env, a)
	var changed func()
	if w.Partial != nil {
		changed = func() {
			// A copy: the page is not done, and a later page's rules must
			// not see answers the user has not confirmed yet.
			cur := a.Clone()
			apply(&cur)
			w.Partial(s.ID, &cur)
		}
	}
	if err := w.Runner.RunPage(ctx, f, changed); err != nil {
		if (errors.Is(err, ErrCancelled) || errors.Is(err, ErrBack)) && w.Partial != nil {
			apply(a) // the fields hold what was typed, keystroke by keystroke
			w.Partial(s.ID, a)
		}
		return err
	}
	apply(a)
	if w.Saved != nil {
		return w.Saved(s.ID, a)
	}
	return nil
}

// Fix re-asks the pages of the fields in errs (the whole-filing check after
// the walk), showing each error first. It reports whether it asked anything.
func (w *Walker) Fix(ctx context.Context, a *Answers, errs filing.Errors) (bool, error) {
	asked := false
	for _, s := range w.Steps {
		var mine filing.Errors
		for _, fe := range errs {
			if s.covers(fe.Field) {
				mine = append(mine, fe)
			}
		}
		if len(mine) == 0 || !s.applies(a) {
			continue
		}
		for _, fe := range mine {
			fmt.Fprintln(w.Runner.Out, w.Env.t("error.field_line", FieldLabel(w.Env, fe.Field), w.Env.FieldMessage(fe)))
		}
		err := w.ask(ctx, s, a)
		for errors.Is(err, ErrBack) { // fixing one page: there is no page to go back to
			err = w.ask(ctx, s, a)
		}
		if err != nil {
			return asked, err
		}
		asked = true
	}
	return asked, nil
}

// Complete walks the form from after and then checks the whole filing,
// sending the user back to each page with a refused field, up to three
// rounds. It returns the errors still left (none when the answers are
// complete), so that the caller can refuse them with exit 5.
func (w *Walker) Complete(ctx context.Context, a *Answers, after string) (filing.Errors, error) {
	if err := w.Walk(ctx, a, after); err != nil {
		return nil, err
	}
	for range 3 {
		if a.Action == ActionQuit {
			return nil, nil
		}
		errs := a.Validate(w.Env)
		if len(errs) == 0 {
			return nil, nil
		}
		asked, err := w.Fix(ctx, a, errs)
		if err != nil {
			return errs, err
		}
		if !asked {
			return errs, nil
		}
	}
	return a.Validate(w.Env), nil
}
