package iostreams

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// ErrNoPrompt is returned by the prompts when CanPrompt is false; callers
// turn it into an error naming the flag that gives the value.
var ErrNoPrompt = errors.New("cannot prompt")

// Prompt asks for one line on stderr and reads it from stdin. It is the
// plain prompt of small commands (an SMS code, a login name); the filing
// forms are internal/cli/forms'.
func (s *IOStreams) Prompt(label string) (string, error) {
	if !s.CanPrompt() {
		return "", ErrNoPrompt
	}
	fmt.Fprint(s.ErrOut, label)
	line, err := s.lineReader().ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", err
	}
	return strings.TrimSpace(line), nil
}

// PromptPassword asks for a secret without echoing it.
func (s *IOStreams) PromptPassword(label string) (string, error) {
	if !s.CanPrompt() {
		return "", ErrNoPrompt
	}
	fmt.Fprint(s.ErrOut, label)
	defer fmt.Fprintln(s.ErrOut)
	if f, ok := s.In.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		b, err := term.ReadPassword(int(f.Fd()))
		return string(b), err
	}
	line, err := s.lineReader().ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// ReadSecretLine reads the first line of stdin (--password-stdin): a
// password piped in by a script, without its line ending.
func (s *IOStreams) ReadSecretLine() (string, error) {
	line, err := s.lineReader().ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		if errors.Is(err, io.EOF) {
			return "", errors.New("stdin is empty")
		}
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func (s *IOStreams) lineReader() *bufio.Reader {
	if s.reader == nil {
		s.reader = bufio.NewReader(s.In)
	}
	return s.reader
}
