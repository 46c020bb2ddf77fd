package alidomain

import (
	"context"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// limiterClock is a simulated clock for the limiter: sleeping advances it (or,
// with frozen, only records the duration), or blocks until the context ends.
type limiterClock struct {
	mu     sync.Mutex
	t      time.Time
	slept  []time.Duration
	frozen bool          // sleep records but does not advance the clock
	block  chan struct{} // when set, sleep signals it, then waits for ctx
}

func (c *limiterClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *limiterClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func (c *limiterClock) sleep(ctx context.Context, d time.Duration) error {
	if c.block != nil {
		c.block <- struct{}{}
		<-ctx.Done()
		return ctx.Err()
	}
	c.mu.Lock()
	c.slept = append(c.slept, d)
	if !c.frozen {
		c.t = c.t.Add(d)
	}
	c.mu.Unlock()
	return nil
}

func fakeLimiter(t *testing.T, rl RateLimit) (*limiter, *limiterClock) {
	t.Helper()
	require.NoError(t, rl.validate())
	l := newLimiter(rl)
	require.NotNil(t, l)
	c := &limiterClock{t: time.Now()}
	l.now, l.sleep = c.now, c.sleep
	return l, c
}

// One caller after another: the burst goes at once, then one token per
// 1/rate; the k-th grant is never earlier than (k-burst)/rate (the rate
// holds) and not later either (no token is wasted).
func TestLimiterSequentialGrants(t *testing.T) {
	l, c := fakeLimiter(t, RateLimit{PerSecond: 10, Burst: 3})
	start := c.now()
	for k := 1; k <= 1000; k++ {
		require.NoError(t, l.wait(context.Background()))
		at := c.now().Sub(start)
		due := time.Duration(math.Max(0, float64(k-3)) / 10 * float64(time.Second))
		require.GreaterOrEqual(t, at, due-time.Microsecond, "grant %d", k)
		require.LessOrEqual(t, at, due+time.Microsecond, "grant %d", k)
	}
	assert.Len(t, c.slept, 997, "the first 3 are the burst, every other waits")
}

// A quiet period refills the bucket up to the burst and no further.
func TestLimiterRefillCapsAtBurst(t *testing.T) {
	l, c := fakeLimiter(t, RateLimit{PerSecond: 2, Burst: 4})
	for range 4 {
		require.NoError(t, l.wait(context.Background()))
	}
	require.Empty(t, c.slept)
	c.advance(time.Hour)
	for range 4 {
		require.NoError(t, l.wait(context.Background()))
	}
	assert.Empty(t, c.slept, "the burst is back after a quiet hour")
	require.NoError(t, l.wait(context.Background()))
	require.Len(t, c.slept, 1, "but not more than the burst")
	assert.InDelta(t, float64(500*time.Millisecond), float64(c.slept[0]), float64(time.Microsecond))
}

// Burst zero means one.
func TestLimiterDefaultBurst(t *testing.T) {
	l, c := fakeLimiter(t, RateLimit{PerSecond: 5})
	require.NoError(t, l.wait(context.Background()))
	assert.Empty(t, c.slept)
	require.NoError(t, l.wait(context.Background()))
	require.Len(t, c.slept, 1)
	assert.InDelta(t, float64(200*time.Millisecond), float64(c.slept[0]), float64(time.Microsecond))
}

// Many goroutines at the same instant share one bucket: the burst goes at
// once and the others are spread one 1/rate apart, each its own slot.
func TestLimiterSharedByGoroutines(t *testing.T) {
	l, c := fakeLimiter(t, RateLimit{PerSecond: 18, Burst: 2})
	c.frozen = true
	const n = 64
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.NoError(t, l.wait(context.Background()))
		}()
	}
	wg.Wait()
	require.Len(t, c.slept, n-2, "all but the burst wait")
	got := slices.Clone(c.slept)
	slices.Sort(got)
	for i, d := range got {
		want := float64(i+1) / 18 * float64(time.Second)
		assert.InDelta(t, want, float64(d), float64(time.Microsecond), "slot %d", i+1)
	}
}

// A caller whose context ends while it waits returns ctx.Err() and gives
// its token back: the next caller waits as if it had never come.
func TestLimiterCancelWhileWaiting(t *testing.T) {
	l, c := fakeLimiter(t, RateLimit{PerSecond: 1, Burst: 1})
	require.NoError(t, l.wait(context.Background()))

	c.block = make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.wait(ctx) }()
	select {
	case <-c.block:
	case <-time.After(20 * time.Second):
		t.Fatal("the second caller never started waiting")
	}
	cancel()
	select {
	case err := <-done:
		assert.ErrorIs(t, err, context.Canceled)
	case <-time.After(20 * time.Second):
		t.Fatal("wait did not return after cancel")
	}

	c.block = nil
	require.NoError(t, l.wait(context.Background()))
	require.Len(t, c.slept, 1)
	assert.InDelta(t, float64(time.Second), float64(c.slept[0]), float64(time.Microsecond), "one token of debt, not two")
}

// With the real sleeper, cancelling a wait of a quarter of an hour ends it.
func TestLimiterCancelRealSleep(t *testing.T) {
	l := newLimiter(RateLimit{PerSecond: 1.0 / 900})
	require.NoError(t, l.wait(context.Background()))
	started := make(chan struct{})
	l.sleep = func(ctx context.Context, d time.Duration) error {
		close(started)
		return sleepCtx(ctx, d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.wait(ctx) }()
	<-started
	cancel()
	select {
	case err := <-done:
		assert.ErrorIs(t, err, context.Canceled)
	case <-time.After(20 * time.Second):
		t.Fatal("wait did not return after cancel")
	}
}

// A deadline that comes before the token fails at once, without sleeping,
// and gives the token back.
func TestLimiterDeadlineTooSoon(t *testing.T) {
	l, c := fakeLimiter(t, RateLimit{PerSecond: 0.01})
	require.NoError(t, l.wait(context.Background()))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := l.wait(ctx)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorIs(t, err, errRateLimitDeadline)
	assert.Empty(t, c.slept)

	require.NoError(t, l.wait(context.Background()))
	require.Len(t, c.slept, 1)
	assert.InDelta(t, float64(100*time.Second), float64(c.slept[0]), float64(time.Microsecond))
}

// An already ended context fails before taking a token.
func TestLimiterEndedContext(t *testing.T) {
	l, c := fakeLimiter(t, RateLimit{PerSecond: 1})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, l.wait(ctx), context.Canceled)
	require.NoError(t, l.wait(context.Background()))
	assert.Empty(t, c.slept, "the burst token was still there")
}

func TestLimiterOff(t *testing.T) {
	assert.Nil(t, newLimiter(RateLimit{}))
	assert.Nil(t, newLimiter(RateLimit{Burst: 5}))
	var l *limiter
	assert.NoError(t, l.wait(context.Background()))
}

func TestRateLimitValidate(t *testing.T) {
	for _, bad := range []RateLimit{
		{PerSecond: -1}, {PerSecond: math.NaN()}, {PerSecond: math.Inf(1)}, {PerSecond: math.Inf(-1)}, {PerSecond: 1, Burst: -1},
		{PerSecond: 1e-11}, {PerSecond: 5e-324}, {PerSecond: math.SmallestNonzeroFloat64}, {PerSecond: 1.0 / 86401},
		{PerSecond: 1, Burst: maxBurst + 1}, {PerSecond: 1, Burst: math.MaxInt},
	} {
		err := bad.validate()
		var ve *ValidationError
		if assert.ErrorAs(t, err, &ve, "%+v", bad) {
			assert.Contains(t, ve.Field, "Options.RateLimit.")
		}
	}
	for _, good := range []RateLimit{{}, {PerSecond: 0.5}, {PerSecond: 20, Burst: 20}, {PerSecond: 1.0 / 86400}, {PerSecond: 1e9, Burst: maxBurst}} {
		assert.NoError(t, good.validate(), "%+v", good)
	}
}

// A rate that overflowed into no pacing (1/rate seconds beyond what a
// Duration holds) is refused by New and by a per-call option, with the
// field named.
func TestRateLimitBelowFloorRefused(t *testing.T) {
	for _, rate := range []float64{1e-11, 5e-324, math.NaN(), math.Inf(1)} {
		_, err := New(Options{Credentials: StaticCredentials("a", "b"), RateLimit: RateLimit{PerSecond: rate}})
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, "rate %v", rate)
		assert.Equal(t, "Options.RateLimit.PerSecond", ve.Field)
		if rate > 0 && !math.IsInf(rate, 0) {
			assert.Contains(t, err.Error(), "one call a day")
		}
	}
	c, _ := fixedClient(t, Options{})
	_, _, err := c.callOptions([]func(*Options){func(o *Options) { o.RateLimit = RateLimit{PerSecond: 1e-11} }})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
}

// At the slowest rate, a debt of many waiting callers is a wait longer than
// a Duration holds: it must stay the longest wait, never wrap around to a
// negative one that lets the call through at once.
func TestLimiterLongDebtDoesNotOverflow(t *testing.T) {
	l, c := fakeLimiter(t, RateLimit{PerSecond: minRatePerSecond})
	l.tokens = -200_000 // 200,000 callers already waiting: 200,000 days
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	err := l.wait(ctx)
	require.ErrorIs(t, err, errRateLimitDeadline, "the wait is beyond the deadline, not skipped")
	assert.Empty(t, c.slept)

	assert.Equal(t, time.Duration(math.MaxInt64), debtDelay(1, 5e-324))
	assert.Equal(t, time.Duration(math.MaxInt64), debtDelay(1e6, minRatePerSecond))
	assert.Equal(t, 86400*time.Second, debtDelay(1, minRatePerSecond))
}

func TestThrottleHint(t *testing.T) {
	tests := []struct {
		name      string
		api, user string // "" = header absent
		want      time.Duration
		ok        bool
	}{
		{"official sample", "", "Limit:1,Remain:0,TimeLeft:2000,Reset:1234", 2 * time.Second, true},
		{"the longer of both", "Remaining:10,TimeLeft:5", "Remaining:20,TimeLeft:3", 5 * time.Millisecond, true},
		{"user longer", "TimeLeft:100", "TimeLeft:1500", 1500 * time.Millisecond, true},
		{"none", "", "", 0, false},
		{"no TimeLeft", "Limit:1,Remain:0", "Reset:99", 0, false},
		{"not a number", "TimeLeft:abc", "", 0, false},
		{"negative", "TimeLeft:-5", "", 0, false},
		{"plus sign", "TimeLeft:+5", "", 0, false},
		{"fraction", "TimeLeft:1.5", "", 0, false},
		{"empty value", "TimeLeft:", "", 0, false},
		{"one bad, one good", "TimeLeft:x", "TimeLeft:100", 100 * time.Millisecond, true},
		{"spaces", " Limit : 1 , TimeLeft : 250 ", "", 250 * time.Millisecond, true},
		{"case", "timeleft:7", "", 7 * time.Millisecond, true},
		{"zero", "TimeLeft:0", "", 0, true},
		{"capped", "TimeLeft:3600001", "", time.Hour, true},
		{"overflow", "TimeLeft:99999999999999999999999", "", time.Hour, true},
		{"first TimeLeft wins", "TimeLeft:10,TimeLeft:20", "", 10 * time.Millisecond, true},
		{"pair without colon", "garbage,TimeLeft:30", "", 30 * time.Millisecond, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.api != "" {
				h.Set("x-ratelimit-user-api", tt.api)
			}
			if tt.user != "" {
				h.Set("X-RateLimit-User", tt.user)
			}
			d, ok := throttleHint(h)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, d)
		})
	}
}

// FuzzParseTimeLeft: any header value parses without panic to a duration
// in [0, maxThrottleHint], only when it names TimeLeft; a well-formed value
// parses to what it says.
func FuzzParseTimeLeft(f *testing.F) {
	f.Add("Limit:1,Remain:0,TimeLeft:2000,Reset:1234", int64(2000))
	f.Add("TimeLeft:-1", int64(-1))
	f.Add(",,::,TimeLeft::", int64(0))
	f.Add("TimeLeft:18446744073709551616", int64(math.MaxInt64))
	f.Fuzz(func(t *testing.T, v string, ms int64) {
		d, ok := parseTimeLeft(v)
		if d < 0 || d > maxThrottleHint {
			t.Fatalf("parseTimeLeft(%q) = %v out of range", v, d)
		}
		if ok && !strings.Contains(strings.ToLower(v), "timeleft") {
			t.Fatalf("parseTimeLeft(%q) = %v without a TimeLeft", v, d)
		}
		if !ok && d != 0 {
			t.Fatalf("parseTimeLeft(%q) = %v, not ok", v, d)
		}
		if ms < 0 {
			return
		}
		well := "Limit:1,Remain:0,TimeLeft:" + strconv.FormatInt(ms, 10) + ",Reset:1"
		d, ok = parseTimeLeft(well)
		want := maxThrottleHint
		if ms <= int64(maxThrottleHint/time.Millisecond) {
			want = time.Duration(ms) * time.Millisecond
		}
		if !ok || d != want {
			t.Fatalf("parseTimeLeft(%q) = %v, %v; want %v", well, d, ok, want)
		}
	})
}

func TestThrottleDelay(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 5, BaseDelay: 100 * time.Millisecond, MaxDelay: 2 * time.Second}
	seen := map[time.Duration]bool{}
	for range 200 {
		// No hint: the policy's full-jitter backoff.
		d, retry := throttleDelay(p, 3, 0, false)
		assert.True(t, retry)
		assert.GreaterOrEqual(t, d, time.Duration(0))
		assert.LessOrEqual(t, d, 400*time.Millisecond)

		// A hint: at least the hint, at most hint+BaseDelay.
		d, retry = throttleDelay(p, 1, 700*time.Millisecond, true)
		assert.True(t, retry)
		assert.GreaterOrEqual(t, d, 700*time.Millisecond)
		assert.LessOrEqual(t, d, 800*time.Millisecond)
		seen[d] = true

		// Near MaxDelay the jitter shrinks so that MaxDelay holds.
		d, retry = throttleDelay(p, 1, 1950*time.Millisecond, true)
		assert.True(t, retry)
		assert.GreaterOrEqual(t, d, 1950*time.Millisecond)
		assert.LessOrEqual(t, d, 2*time.Second)
	}
	assert.Greater(t, len(seen), 100, "callers told the same time are spread")
	d, retry := throttleDelay(p, 1, 2*time.Second, true)
	assert.True(t, retry)
	assert.Equal(t, 2*time.Second, d)
	d, retry = throttleDelay(p, 1, 0, true)
	assert.True(t, retry)
	assert.LessOrEqual(t, d, 100*time.Millisecond)

	// Beyond MaxDelay: do not retry, the service said it is too early.
	_, retry = throttleDelay(p, 1, 2*time.Second+time.Millisecond, true)
	assert.False(t, retry)
}
