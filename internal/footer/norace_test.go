//go:build !race

package footer

const raceEnabled = false
