// Package pace is the token bucket that spreads a Client's requests over
// time: every attempt, retries included, takes a token.
package pace

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/alidomain/alidomain/internal/retry"
)

// Bounds of a rate: below one call a day a rate is a mistake (and
// 1/rate overflows a Duration), and above a million the burst's token count
// would lose its unit precision in float64 long before it mattered.
const (
	MinRate  = 1.0 / 86400
	MaxBurst = 1_000_000
)

// Limiter is a token bucket shared by all goroutines of a Client. A caller
// takes a token at once, going into debt if none is left, and sleeps until
// the debt would be repaid; so callers are served in arrival order and the
// rate holds however many wait.
type Limiter struct {
	rate  float64 // tokens per second
	burst float64

	// now and sleep are replaced by tests with a simulated clock.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error

	mu     sync.Mutex
	tokens float64 // may be negative: tokens promised to sleeping callers
	last   time.Time
}

// New returns the Limiter for perSecond requests a second with bursts of
// burst (0: 1), or nil (no pacing) when perSecond is zero. Both must be
// within the bounds above.
func New(perSecond float64, burst int) *Limiter {
	if perSecond <= 0 {
		return nil
	}
	if burst <= 0 {
		burst = 1
	}
	return &Limiter{rate: perSecond, burst: float64(burst), tokens: float64(burst), now: time.Now, sleep: retry.Sleep}
}

// ErrDeadline is returned when the context's deadline comes before
// the caller's turn.
var ErrDeadline = errors.New("alidomain: the rate limit would delay the request past the context's deadline")

// UseClock replaces the Limiter's clock and sleep (tests: a simulated clock).
func (l *Limiter) UseClock(now func() time.Time, sleep func(context.Context, time.Duration) error) {
	l.now, l.sleep = now, sleep
}

// Wait takes a token, sleeping until it is due. It returns ctx.Err() as soon
// as ctx ends while waiting, and at once an error that wraps
// context.DeadlineExceeded when ctx's deadline comes before the token; the
// token is then given back. A nil Limiter never waits.
func (l *Limiter) Wait(ctx context.Context) error {
	if l == nil {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	l.mu.Lock()
	now := l.now()
	l.refill(now)
	l.tokens--
	var d time.Duration
	if l.tokens < 0 {
		d = debtDelay(-l.tokens, l.rate)
	}
	if dl, ok := ctx.Deadline(); ok && d > 0 && now.Add(d).After(dl) {
		l.tokens++
		l.mu.Unlock()
		return fmt.Errorf("%w (%v): %w", ErrDeadline, d, context.DeadlineExceeded)
	}
	l.mu.Unlock()
	if d <= 0 {
		return nil
	}
	if err := l.sleep(ctx, d); err != nil {
		l.mu.Lock()
		l.refill(l.now())
		l.tokens = math.Min(l.tokens+1, l.burst)
		l.mu.Unlock()
		return err
	}
	return nil
}

// debtDelay is how long repaying debt tokens takes at rate, capped at the
// longest Duration: converting a larger float to a Duration would wrap
// around to a negative wait, that is to no pacing at all.
func debtDelay(debt, rate float64) time.Duration {
	ns := math.Ceil(debt / rate * float64(time.Second))
	if !(ns < math.MaxInt64) { // NaN included
		return math.MaxInt64
	}
	return time.Duration(ns)
}

// refill adds the tokens earned since the last call, up to burst.
func (l *Limiter) refill(now time.Time) {
	if now.After(l.last) {
		if !l.last.IsZero() {
			l.tokens = math.Min(l.burst, l.tokens+now.Sub(l.last).Seconds()*l.rate)
		}
		l.last = now
	}
}
