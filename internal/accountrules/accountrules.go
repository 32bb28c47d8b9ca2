// Package accountrules holds the pure rules of accounts — login names and
// passwords — shared by the server (internal/platform) and the client's
// prompts (beian register, beian password reset), so that a bad answer is
// refused as it is typed, with the server's words. No I/O.
package accountrules

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// loginPattern: a letter, then letters, digits, '_', '.' or '-'; 3–32.
var loginPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]{2,31}$`)

// CodeLoginInvalid is the field code of a login name that breaks the rule.
const CodeLoginInvalid = "login_invalid"

// Login checks a login name.
func Login(s string) error {
	if !loginPattern.MatchString(s) {
		return fmt.Errorf("3–32 characters: a letter, then letters, digits, '_', '.' or '-'")
	}
	return nil
}

// FoldLogin is the one form in which logins are compared: two logins that
// fold alike are the same account (sign-in, registration, the sign-in
// limiter). Logins are ASCII (Login), so folding is lower-casing.
func FoldLogin(s string) string { return strings.ToLower(s) }

// Password rules (NIST SP 800-63B §5.1.1.2, docs/security.md): at least
// MinPasswordLen characters, any characters at all (no composition rules),
// and not a password attackers try first — a common one, one character or
// a short pattern repeated, a run along the alphabet, the digits or the
// keyboard, or the account's own login, mobile number or this service's
// name.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 128
)

// commonPasswords are long-enough passwords that lead every breach list
// (lower-cased); shorter ones are refused by length already.
var commonPasswords = map[string]bool{}

func init() {
	for _, p := range strings.Fields(`
		1234567890 0123456789 0987654321 9876543210 1234567891 1234512345 1122334455 1111111111
		qwertyuiop asdfghjkl; zxcvbnm,./ 1qaz2wsx3edc 1q2w3e4r5t 1q2w3e4r5t6y q1w2e3r4t5 qwerty1234
		qwerty12345 qwerty123456 qwertyuiop123 password12 password123 password1234 password2024
		password2025 password2026 p@ssw0rd123 passw0rd123 iloveyou12 iloveyou123 abcd123456
		abc1234567 a123456789 aa12345678 1234567890a 123456789a 123456789q 12345678910 123123123123
		5201314520 woaini1314 woaini520 woaini5201314 aini1314520 1314520521 zhang123456 wang123456
		li123456789 admin12345 admin123456 administrator welcome123 welcome1234 letmein123 changeme123
		sunshine123 princess123 football123 baseball123 dragon1234 monkey1234 shadow1234 master1234
		superman123 batman1234 trustno1234 starwars123 computer123 internet123 qazwsxedc qazwsxedcrfv
		zaq12wsxcde 1qazxsw23edc asdfghjkl123 asdf123456 zxcvbnm123 qweasdzxc123 michael123 jennifer123
	`) {
		commonPasswords[p] = true
	}
}

// keyboardRows are walked in both directions by weak passwords.
var keyboardRows = []string{"`1234567890-=", "qwertyuiop[]\\", "asdfghjkl;'", "zxcvbnm,./", "abcdefghijklmnopqrstuvwxyz"}

// Password says why pw is not acceptable for the account (login, mobile):
// a field error code and a message, or "" when it is acceptable.
func Password(pw, login, mobile string) (code, why string) {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return "password_too_short", "at least 10 characters; a phrase of a few words is easiest to remember"
	case n > MaxPasswordLen:
		return "too_long", "at most 128 characters"
	case strings.TrimSpace(pw) == "":
		return "password_weak", "a password of spaces only is guessed at once"
	}
	lower := strings.ToLower(pw)
	compact := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, lower)
	switch {
	case commonPasswords[lower] || commonPasswords[compact]:
		return "password_common", "this is one of the passwords attackers try first"
	case repeated(compact):
		return "password_weak", "one character or a short pattern repeated is guessed at once"
	case sequence(compact):
		return "password_weak", "a run along the digits, the alphabet or the keyboard is guessed at once"
	case login != "" && len(login) >= 3 && strings.Contains(lower, strings.ToLower(login)):
		return "password_weak", "the password must not contain the login name"
	case mobile != "" && strings.Contains(compact, mobile):
		return "password_weak", "the password must not contain the mobile number"
	case strings.Contains(compact, "beian") && len(compact) < 16:
		return "password_weak", "the service's name makes a password easy to guess"
	}
	return "", ""
}

// repeated: the whole string is a block of at most 3 characters repeated.
func repeated(s string) bool {
	r := []rune(s)
	for size := 1; size <= 3 && size < len(r); size++ {
		same := true
		for i := size; i < len(r); i++ {
			if r[i] != r[i%size] {
				same = false
				break
			}
		}
		if same {
			return true
		}
	}
	return false
}

// sequence: the whole string is a run along a keyboard row, the digits or
// the alphabet, forwards or backwards.
func sequence(s string) bool {
	for _, row := range keyboardRows {
		for _, line := range []string{row, reverse(row)} {
			if len(s) <= len(line) && strings.Contains(line, s) {
				return true
			}
		}
	}
	return false
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}
