// Package ptytest drives the real beian binary on a pseudo-terminal, the
// way a person at a keyboard does: it builds ./cmd/beian once per test run,
// starts a real filing server on 127.0.0.1:0, types into `beian file` and
// then checks what the server holds. Only its tests have code; every read
// from the terminal has a deadline, so a form that never appears fails the
// test instead of hanging it.
package ptytest
