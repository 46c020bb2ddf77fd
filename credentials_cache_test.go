package alidomain

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingSource is a credentials source on a fake clock that records when
// it is asked; next says what it answers then.
type countingSource struct {
	clock *fakeClock
	next  func(n int, now time.Time) Credentials

	mu    sync.Mutex
	asked []time.Time
}

func (s *countingSource) fetch(context.Context) (Credentials, error) {
	now := s.clock.Now()
	s.mu.Lock()
	s.asked = append(s.asked, now)
	n := len(s.asked)
	s.mu.Unlock()
	return s.next(n, now), nil
}

func (s *countingSource) times() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.asked...)
}

// Credentials are refreshed once 180 s or less remain, whatever their
// lifetime: a 5-minute credential with 179 s left and a 2-minute one (born
// inside the window) are refreshed, not kept until half their life is gone.
func TestRefreshWhen180sRemainWhateverTheLifetime(t *testing.T) {
	for _, life := range []time.Duration{2 * time.Minute, 5 * time.Minute, 10 * time.Minute, time.Hour} {
		t.Run(life.String(), func(t *testing.T) {
			clock := newFakeClock()
			src := &countingSource{clock: clock, next: func(n int, now time.Time) Credentials {
				return Credentials{AccessKeyID: fmt.Sprint("id-", n), AccessKeySecret: "s", Expiration: now.Add(life)}
			}}
			p := newCachingProvider("test", src.fetch)
			p.now = clock.Now
			ctx := context.Background()

			c0, err := p.Credentials(ctx)
			require.NoError(t, err)
			require.Equal(t, "id-1", c0.AccessKeyID)

			if left := c0.Expiration.Sub(clock.Now()); left > refreshAhead {
				// One second before the window: still the first credentials.
				clock.Add(left - refreshAhead - time.Second)
				c, err := p.Credentials(ctx)
				require.NoError(t, err)
				assert.Equal(t, "id-1", c.AccessKeyID, "%v left", c0.Expiration.Sub(clock.Now()))
			}
			// 179 s left (or, born inside the window, the pause after a fetch over).
			clock.Add(max(c0.Expiration.Sub(clock.Now())-refreshAhead+time.Second, minRefreshInterval))
			left := c0.Expiration.Sub(clock.Now())
			require.LessOrEqual(t, left, refreshAhead)
			require.Greater(t, left, time.Duration(0))
			c, err := p.Credentials(ctx)
			require.NoError(t, err)
			assert.Equal(t, "id-2", c.AccessKeyID, "refreshed with %v left of %v", left, life)
			assert.Len(t, src.times(), 2)
		})
	}
}

// A source that keeps answering with the same credentials, 100 s from
// expiry, is asked once every minRefreshInterval while they last, however
// often the provider is called (here every 100 ms), and never again in
// between; every call is served.
func TestSameNearExpiryCredentialsAskedEveryFewSeconds(t *testing.T) {
	clock := newFakeClock()
	start := clock.Now()
	exp := start.Add(100 * time.Second)
	src := &countingSource{clock: clock, next: func(int, time.Time) Credentials {
		return Credentials{AccessKeyID: "id", AccessKeySecret: "s", SecurityToken: "t", Expiration: exp}
	}}
	p := newCachingProvider("test", src.fetch)
	p.now = clock.Now
	const step = 100 * time.Millisecond
	calls := 0
	for clock.Now().Before(exp) {
		c, err := p.Credentials(context.Background())
		require.NoError(t, err)
		assert.Equal(t, exp, c.Expiration)
		calls++
		clock.Add(step)
	}
	asked := src.times()
	require.NotEmpty(t, asked)
	for i := 1; i < len(asked); i++ {
		gap := asked[i].Sub(asked[i-1])
		assert.GreaterOrEqual(t, gap, minRefreshInterval, "ask %d came %v after the one before", i, gap)
		assert.LessOrEqual(t, gap, minRefreshInterval+step, "ask %d came %v after the one before", i, gap)
	}
	assert.Equal(t, 1000, calls)
	assert.Len(t, asked, 20, "one ask per %v over 100 s", minRefreshInterval)
}

// The pause after a fetch does not hold back a refresh of credentials that
// have expired: they are no use, so the source is asked at once.
func TestExpiredCredentialsRefreshedDespitePause(t *testing.T) {
	clock := newFakeClock()
	src := &countingSource{clock: clock, next: func(n int, now time.Time) Credentials {
		return Credentials{AccessKeyID: fmt.Sprint("id-", n), AccessKeySecret: "s", Expiration: now.Add(2 * time.Second)}
	}}
	p := newCachingProvider("test", src.fetch)
	p.now = clock.Now
	_, err := p.Credentials(context.Background())
	require.NoError(t, err)
	clock.Add(time.Second)
	c, err := p.Credentials(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "id-1", c.AccessKeyID, "still valid, within the pause")
	clock.Add(time.Second)
	c, err = p.Credentials(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "id-2", c.AccessKeyID, "expired: asked again within the pause")
}
