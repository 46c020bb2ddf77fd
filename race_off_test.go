//go:build !race

package alidomain_test

// raceEnabled reports whether the tests were built with -race.
const raceEnabled = false
