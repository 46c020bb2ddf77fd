package alidomain

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
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

// Bounds of a RateLimit: below one call a day a rate is a mistake (and
// 1/rate overflows a Duration), and above a million the burst's token count
// would lose its unit precision in float64 long before it mattered.
const (
	minRatePerSecond = 1.0 / 86400
	maxBurst         = 1_000_000
)

// validate reports a rate that cannot pace anything, as a *ValidationError.
func (rl RateLimit) validate() error {
	switch r := rl.PerSecond; {
	case math.IsNaN(r) || math.IsInf(r, 0) || r < 0:
		return &ValidationError{Field: "Options.RateLimit.PerSecond", Reason: fmt.Sprintf("%v is not a finite rate >= 0 (zero means no pacing)", r)}
	case r > 0 && r < minRatePerSecond:
		return &ValidationError{Field: "Options.RateLimit.PerSecond", Reason: fmt.Sprintf("%v is below the minimum of one call a day (1/86400 = %.4g); zero means no pacing", r, minRatePerSecond)}
	}
	if rl.Burst < 0 || rl.Burst > maxBurst {
		return &ValidationError{Field: "Options.RateLimit.Burst", Reason: fmt.Sprintf("%d is not between 0 and %d (zero means 1)", rl.Burst, maxBurst)}
	}
	return nil
}

// limiter is a token bucket shared by all goroutines of a Client. A caller
// takes a token at once, going into debt if none is left, and sleeps until
// the debt would be repaid; so callers are served in arrival order and the
// rate holds however many wait.
type limiter struct {
	rate  float64 // tokens per second
	burst float64

	// now and sleep are replaced by tests with a simulated clock.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error

	mu     sync.Mutex
	tokens float64 // may be negative: tokens promised to sleeping callers
	last   time.Time
}

// newLimiter returns the limiter for rl, or nil (no pacing) when
// rl.PerSecond is zero. rl must be valid.
func newLimiter(rl RateLimit) *limiter {
	if rl.PerSecond <= 0 {
		return nil
	}
	burst := rl.Burst
	if burst <= 0 {
		burst = 1
	}
	return &limiter{rate: rl.PerSecond, burst: float64(burst), tokens: float64(burst), now: time.Now, sleep: sleepCtx}
}

// errRateLimitDeadline is returned when the context's deadline comes before
// the caller's turn.
var errRateLimitDeadline = errors.New("alidomain: the rate limit would delay the request past the context's deadline")

// wait takes a token, sleeping until it is due. It returns ctx.Err() as soon
// as ctx ends while waiting, and at once an error that wraps
// context.DeadlineExceeded when ctx's deadline comes before the token; the
// token is then given back. A nil limiter never waits.
func (l *limiter) wait(ctx context.Context) error {
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
		return fmt.Errorf("%w (%v): %w", errRateLimitDeadline, d, context.DeadlineExceeded)
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
func (l *limiter) refill(now time.Time) {
	if now.After(l.last) {
		if !l.last.IsZero() {
			l.tokens = math.Min(l.burst, l.tokens+now.Sub(l.last).Seconds()*l.rate)
		}
		l.last = now
	}
}

// maxThrottleHint bounds the wait a service's hint can ask for; the retry
// policy's MaxDelay bounds it further.
const maxThrottleHint = time.Hour

// throttleHint returns how long a Throttling answer asks the client to
// wait, read as the official runtime reads it: the headers
// x-ratelimit-user-api and x-ratelimit-user hold comma-separated Key:Value
// pairs ("Limit:1,Remain:0,TimeLeft:2000,Reset:1234"), TimeLeft in
// milliseconds, and the longer of the two applies. ok is false when neither
// header has a usable TimeLeft.
func throttleHint(h http.Header) (d time.Duration, ok bool) {
	for _, name := range [...]string{"X-Ratelimit-User-Api", "X-Ratelimit-User"} {
		for _, v := range h.Values(name) {
			if t, tok := parseTimeLeft(v); tok {
				d, ok = max(d, t), true
			}
		}
	}
	return d, ok
}

// parseTimeLeft returns the first TimeLeft of a rate-limit header value, in
// milliseconds, capped at maxThrottleHint; ok is false when there is none,
// or it is not a non-negative decimal integer.
func parseTimeLeft(v string) (time.Duration, bool) {
	for v != "" {
		var pair string
		pair, v, _ = strings.Cut(v, ",")
		key, val, found := strings.Cut(pair, ":")
		if !found || !strings.EqualFold(strings.TrimSpace(key), "TimeLeft") {
			continue
		}
		val = strings.TrimSpace(val)
		if val == "" || val[0] == '+' || val[0] == '-' {
			return 0, false
		}
		ms, err := strconv.ParseUint(val, 10, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return 0, false
		}
		if err != nil || ms > uint64(maxThrottleHint/time.Millisecond) {
			return maxThrottleHint, true
		}
		return time.Duration(ms) * time.Millisecond, true
	}
	return 0, false
}

// throttleDelay returns how long to wait before attempt+1 after attempt
// attempts, the last one answered with a Throttling code and the hint
// (see throttleHint; hinted reports whether there was one). Without a hint
// it is the policy's backoff. With one, never less than the hint: the hint
// plus a jitter of up to BaseDelay that spreads callers told the same time,
// within MaxDelay; and retry is false when the hint is beyond MaxDelay, since
// an earlier attempt would only be throttled again.
func throttleDelay(p RetryPolicy, attempt int, hint time.Duration, hinted bool) (d time.Duration, retry bool) {
	if !hinted {
		return p.backoff(attempt), true
	}
	if hint > p.MaxDelay {
		return 0, false
	}
	spread := min(p.BaseDelay, p.MaxDelay-hint)
	if spread <= 0 {
		return hint, true
	}
	return hint + time.Duration(rand.Int64N(int64(spread)+1)), true
}
