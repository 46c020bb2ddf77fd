package pace

import (
	"context"
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/internal/pace/pacetest"
	"github.com/alidomain/alidomain/internal/retry"
)

// RateLimit is the root package's RateLimit as the tests write it.
type RateLimit struct {
	PerSecond float64
	Burst     int
}

// newLimiterFor is the Limiter a Client with rl makes.
func newLimiterFor(rl RateLimit) *Limiter { return New(rl.PerSecond, rl.Burst) }

func fakeLimiter(t *testing.T, rl RateLimit) (*Limiter, *pacetest.Clock) {
	t.Helper()
	require.True(t, rl.PerSecond >= MinRate && rl.Burst >= 0 && rl.Burst <= MaxBurst, "%+v is out of bounds", rl)
	l := newLimiterFor(rl)
	require.NotNil(t, l)
	c := &pacetest.Clock{T: time.Now()}
	l.UseClock(c.Now, c.Sleep)
	return l, c
}

// One caller after another: the burst goes at once, then one token per
// 1/rate; the k-th grant is never earlier than (k-burst)/rate (the rate
// holds) and not later either (no token is wasted).
func TestLimiterSequentialGrants(t *testing.T) {
	l, c := fakeLimiter(t, RateLimit{PerSecond: 10, Burst: 3})
	start := c.Now()
	for k := 1; k <= 1000; k++ {
		require.NoError(t, l.Wait(context.Background()))
		at := c.Now().Sub(start)
		due := time.Duration(math.Max(0, float64(k-3)) / 10 * float64(time.Second))
		require.GreaterOrEqual(t, at, due-time.Microsecond, "grant %d", k)
		require.LessOrEqual(t, at, due+time.Microsecond, "grant %d", k)
	}
	assert.Len(t, c.Slept, 997, "the first 3 are the burst, every other waits")
}

// A quiet period refills the bucket up to the burst and no further.
func TestLimiterRefillCapsAtBurst(t *testing.T) {
	l, c := fakeLimiter(t, RateLimit{PerSecond: 2, Burst: 4})
	for range 4 {
		require.NoError(t, l.Wait(context.Background()))
	}
	require.Empty(t, c.Slept)
	c.Advance(time.Hour)
	for range 4 {
		require.NoError(t, l.Wait(context.Background()))
	}
	assert.Empty(t, c.Slept, "the burst is back after a quiet hour")
	require.NoError(t, l.Wait(context.Background()))
	require.Len(t, c.Slept, 1, "but not more than the burst")
	assert.InDelta(t, float64(500*time.Millisecond), float64(c.Slept[0]), float64(time.Microsecond))
}

// Burst zero means one.
func TestLimiterDefaultBurst(t *testing.T) {
	l, c := fakeLimiter(t, RateLimit{PerSecond: 5})
	require.NoError(t, l.Wait(context.Background()))
	assert.Empty(t, c.Slept)
	require.NoError(t, l.Wait(context.Background()))
	require.Len(t, c.Slept, 1)
	assert.InDelta(t, float64(200*time.Millisecond), float64(c.Slept[0]), float64(time.Microsecond))
}

// Many goroutines at the same instant share one bucket: the burst goes at
// once and the others are spread one 1/rate apart, each its own slot.
func TestLimiterSharedByGoroutines(t *testing.T) {
	l, c := fakeLimiter(t, RateLimit{PerSecond: 18, Burst: 2})
	c.Frozen = true
	const n = 64
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.NoError(t, l.Wait(context.Background()))
		}()
	}
	wg.Wait()
	require.Len(t, c.Slept, n-2, "all but the burst wait")
	got := slices.Clone(c.Slept)
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
	require.NoError(t, l.Wait(context.Background()))

	c.Block = make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Wait(ctx) }()
	select {
	case <-c.Block:
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

	c.Block = nil
	require.NoError(t, l.Wait(context.Background()))
	require.Len(t, c.Slept, 1)
	assert.InDelta(t, float64(time.Second), float64(c.Slept[0]), float64(time.Microsecond), "one token of debt, not two")
}

// With the real sleeper, cancelling a wait of a quarter of an hour ends it.
func TestLimiterCancelRealSleep(t *testing.T) {
	l := newLimiterFor(RateLimit{PerSecond: 1.0 / 900})
	require.NoError(t, l.Wait(context.Background()))
	started := make(chan struct{})
	l.sleep = func(ctx context.Context, d time.Duration) error {
		close(started)
		return retry.Sleep(ctx, d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Wait(ctx) }()
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
	require.NoError(t, l.Wait(context.Background()))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := l.Wait(ctx)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorIs(t, err, ErrDeadline)
	assert.Empty(t, c.Slept)

	require.NoError(t, l.Wait(context.Background()))
	require.Len(t, c.Slept, 1)
	assert.InDelta(t, float64(100*time.Second), float64(c.Slept[0]), float64(time.Microsecond))
}

// An already ended context fails before taking a token.
func TestLimiterEndedContext(t *testing.T) {
	l, c := fakeLimiter(t, RateLimit{PerSecond: 1})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, l.Wait(ctx), context.Canceled)
	require.NoError(t, l.Wait(context.Background()))
	assert.Empty(t, c.Slept, "the burst token was still there")
}

func TestLimiterOff(t *testing.T) {
	assert.Nil(t, newLimiterFor(RateLimit{}))
	assert.Nil(t, newLimiterFor(RateLimit{Burst: 5}))
	var l *Limiter
	assert.NoError(t, l.Wait(context.Background()))
}

// At the slowest rate, a debt of many waiting callers is a wait longer than
// a Duration holds: it must stay the longest wait, never wrap around to a
// negative one that lets the call through at once.
func TestLimiterLongDebtDoesNotOverflow(t *testing.T) {
	l, c := fakeLimiter(t, RateLimit{PerSecond: MinRate})
	l.tokens = -200_000 // 200,000 callers already waiting: 200,000 days
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	err := l.Wait(ctx)
	require.ErrorIs(t, err, ErrDeadline, "the wait is beyond the deadline, not skipped")
	assert.Empty(t, c.Slept)

	assert.Equal(t, time.Duration(math.MaxInt64), debtDelay(1, 5e-324))
	assert.Equal(t, time.Duration(math.MaxInt64), debtDelay(1e6, MinRate))
	assert.Equal(t, 86400*time.Second, debtDelay(1, MinRate))
}
