// Package pacetest is a simulated clock for a pace.Limiter's tests and for
// the tests of a Client that paces.
package pacetest

import (
	"context"
	"sync"
	"time"
)

// Clock is a simulated clock for a Limiter: sleeping advances it (or,
// with frozen, only records the duration), or blocks until the context ends.
type Clock struct {
	mu     sync.Mutex
	T      time.Time
	Slept  []time.Duration
	Frozen bool          // sleep records but does not advance the clock
	Block  chan struct{} // when set, sleep signals it, then waits for ctx
}

// Now is the simulated time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.T
}

// Advance moves the simulated time on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.T = c.T.Add(d)
	c.mu.Unlock()
}

// Sleep records d and advances the clock by it (see Frozen and Block).
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if c.Block != nil {
		c.Block <- struct{}{}
		<-ctx.Done()
		return ctx.Err()
	}
	c.mu.Lock()
	c.Slept = append(c.Slept, d)
	if !c.Frozen {
		c.T = c.T.Add(d)
	}
	c.mu.Unlock()
	return nil
}
