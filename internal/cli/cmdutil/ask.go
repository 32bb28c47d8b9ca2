// Asking for what a flag did not give: a value or a password, on a terminal only.

package cmdutil

import (
	"errors"

	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/i18n"
)

// ReadPassword gets a password from stdin (--password-stdin) or a prompt; it
// never hangs without a terminal.
func ReadPassword(ios *iostreams.IOStreams, loc *i18n.Localizer, fromStdin bool, label string) (string, error) {
	if fromStdin {
		p, err := ios.ReadSecretLine()
		if err != nil {
			return "", FlagErrorf("--password-stdin: %v", err)
		}
		if p == "" {
			return "", FlagErrorf("--password-stdin: the first line of stdin is empty")
		}
		return p, nil
	}
	p, err := ios.PromptPassword(loc.T(label))
	if errors.Is(err, iostreams.ErrNoPrompt) {
		return "", &MissingFlagError{Flag: "--password-stdin"}
	}
	return p, err
}

// Ask gets a value from its flag or a prompt; without a terminal a missing
// value is an error naming flag.
func Ask(ios *iostreams.IOStreams, loc *i18n.Localizer, value *string, flag, label string) error {
	if *value != "" {
		return nil
	}
	v, err := ios.Prompt(loc.T(label))
	if errors.Is(err, iostreams.ErrNoPrompt) {
		return &MissingFlagError{Flag: flag}
	}
	if err != nil {
		return err
	}
	if v == "" {
		return &MissingFlagError{Flag: flag}
	}
	*value = v
	return nil
}
