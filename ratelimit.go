package alidomain

import (
	"fmt"
	"math"

	"github.com/alidomain/alidomain/internal/pace"
)

// RateLimit paces a Client: at most PerSecond requests per second on
// average, with bursts of up to Burst, counted over every goroutine that
// uses the Client, so that a program that fans out stays under the
// service's limit instead of being throttled. Every attempt, retries
// included, takes a token. Waiting for one honours the call's context.
type RateLimit struct {
	// PerSecond is the sustained rate for the whole Client; zero means no
	// pacing. Otherwise it must be finite and at least one call a day
	// (1/86400); New refuses anything else with a *ValidationError.
	PerSecond float64
	// Burst is how many requests may go at once after a quiet period;
	// zero means 1, and at most 1,000,000.
	Burst int
}

// validate reports a rate that cannot pace anything, as a *ValidationError.
func (rl RateLimit) validate() error {
	switch r := rl.PerSecond; {
	case math.IsNaN(r) || math.IsInf(r, 0) || r < 0:
		return &ValidationError{Field: "Options.RateLimit.PerSecond", Reason: fmt.Sprintf("%v is not a finite rate >= 0 (zero means no pacing)", r)}
	case r > 0 && r < pace.MinRate:
		return &ValidationError{Field: "Options.RateLimit.PerSecond", Reason: fmt.Sprintf("%v is below the minimum of one call a day (1/86400 = %.4g); zero means no pacing", r, pace.MinRate)}
	}
	if rl.Burst < 0 || rl.Burst > pace.MaxBurst {
		return &ValidationError{Field: "Options.RateLimit.Burst", Reason: fmt.Sprintf("%d is not between 0 and %d (zero means 1)", rl.Burst, pace.MaxBurst)}
	}
	return nil
}
