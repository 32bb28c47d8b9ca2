//go:build race

package footer

const raceEnabled = true
