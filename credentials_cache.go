package alidomain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"
)

// refreshAhead is how long before expiry cached credentials are refreshed,
// whatever their lifetime, as the official credentials library does.
const refreshAhead = 180 * time.Second

// minRefreshInterval is how long a provider serves still-valid credentials
// it has just fetched before it asks again: a source that keeps answering
// with credentials already inside the refresh window is asked this often,
// not at every call.
const minRefreshInterval = 5 * time.Second

// failedRefreshPause is how long a provider keeps serving still-valid cached
// credentials after a failed refresh before it tries again, so that a
// broken source is not asked at every call.
const failedRefreshPause = 10 * time.Second

// cachingProvider caches temporary credentials fetched from a source and
// refreshes them ahead of their expiry, one refresh at a time.
type cachingProvider struct {
	name  string // the source, for errors: "ECS RAM role", "AssumeRole acs:ram::1:role/x"
	fetch func(ctx context.Context) (Credentials, error)
	now   func() time.Time // replaced by tests

	mu        sync.Mutex
	cur       Credentials
	have      bool
	notBefore time.Time // no refresh before this while the cache is valid: after a fetch or a failure
	inflight  *flight   // the refresh in progress, if any
	waiting   int       // goroutines blocked on inflight, for tests
}

// credentialsClock is the clock of every caching provider unless its own
// is set; tests replace it to drive expiry.
var credentialsClock = time.Now

// newCachingProvider returns a provider that caches what fetch returns.
func newCachingProvider(name string, fetch func(ctx context.Context) (Credentials, error)) *cachingProvider {
	return &cachingProvider{name: name, fetch: fetch, now: func() time.Time { return credentialsClock() }}
}

// String names the source, never its credentials.
func (p *cachingProvider) String() string { return "alidomain.CredentialsProvider(" + p.name + ")" }

// Format prints String whatever the verb: fmt would otherwise print the
// cached credentials' fields raw for verbs such as %d.
func (p *cachingProvider) Format(f fmt.State, verb rune) { formatString(f, verb, p.String()) }

// formatString prints s for every verb, quoted for %q.
func formatString(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		s = strconv.Quote(s)
	}
	io.WriteString(f, s)
}

// fresh reports whether the cached credentials need no refresh at now.
func (p *cachingProvider) fresh(now time.Time) bool {
	if !p.have {
		return false
	}
	exp := p.cur.Expiration
	return exp.IsZero() || exp.Sub(now) > refreshAhead
}

// usable reports whether the cached credentials still work at now.
func (p *cachingProvider) usable(now time.Time) bool {
	return p.have && (p.cur.Expiration.IsZero() || now.Before(p.cur.Expiration))
}

// flight is one refresh in progress; err is its outcome, set before done
// is closed.
type flight struct {
	done     chan struct{}
	err      error
	canceled bool // the refresher's own context ended: waiters try again

	blockedOn *flight // the flight its refresher waits for, if any; guarded by waitGraph
}

// errProviderCycle is the error of a provider that is its own source.
var errProviderCycle = errors.New("the provider is its own source, directly or through a cycle of providers")

// resolvingKey is the context key under which a refresh marks the context
// it passes to its source with a *resolving.
type resolvingKey struct{}

// resolving is a refresh in progress on the current call path: its flight
// f, and outer, the refresh whose source asked for it.
type resolving struct {
	f     *flight
	outer *resolving
}

// waitGraph guards every flight's blockedOn: which refresh waits for which,
// across goroutines, so that a cycle of providers refreshed by different
// goroutines at once is found too.
var waitGraph sync.Mutex

// block records that the refreshes of chain wait for f, unless f is one of
// them or waits (through other refreshes) for one of them: then waiting
// would never end, and block returns false.
func block(chain *resolving, f *flight) bool {
	waitGraph.Lock()
	defer waitGraph.Unlock()
	// Each refresh waits for at most one flight, so the walk is a path;
	// the bound only guards against a bug.
	for g, n := f, 0; g != nil && n < 1000; g, n = g.blockedOn, n+1 {
		for r := chain; r != nil; r = r.outer {
			if r.f == g {
				return false
			}
		}
	}
	for r := chain; r != nil; r = r.outer {
		r.f.blockedOn = f
	}
	return true
}

// unblock records that the refreshes of chain no longer wait.
func unblock(chain *resolving) {
	if chain == nil {
		return
	}
	waitGraph.Lock()
	defer waitGraph.Unlock()
	for r := chain; r != nil; r = r.outer {
		r.f.blockedOn = nil
	}
}

// Credentials returns the cached credentials, refreshing them first when
// they are about to expire. While another goroutine refreshes, it returns
// the cached ones if they still work, else waits for that refresh and
// shares its outcome. A provider asked for credentials by its own refresh
// (its source is itself, directly or through other providers, on this
// goroutine or another) fails with an error saying so instead of waiting
// for itself.
func (p *cachingProvider) Credentials(ctx context.Context) (Credentials, error) {
	p.mu.Lock()
	for {
		now := p.now()
		if p.fresh(now) || (p.usable(now) && (p.inflight != nil || now.Before(p.notBefore))) {
			c := p.cur
			p.mu.Unlock()
			return c, nil
		}
		f := p.inflight
		if f == nil {
			break
		}
		chain, _ := ctx.Value(resolvingKey{}).(*resolving)
		if chain != nil && !block(chain, f) {
			p.mu.Unlock()
			return Credentials{}, fmt.Errorf("alidomain: %s: %w", p.name, errProviderCycle)
		}
		p.waiting++
		p.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			unblock(chain)
			p.mu.Lock()
			p.waiting--
			p.mu.Unlock()
			return Credentials{}, fmt.Errorf("alidomain: %s: waiting for credentials: %w", p.name, ctx.Err())
		}
		unblock(chain)
		if f.err != nil && !f.canceled {
			p.mu.Lock()
			p.waiting--
			p.mu.Unlock()
			return Credentials{}, f.err
		}
		p.mu.Lock()
		p.waiting--
	}
	f := &flight{done: make(chan struct{})}
	p.inflight = f
	p.mu.Unlock()

	var c Credentials
	var err error
	func() {
		defer func() {
			if r := recover(); r != nil { // do not leave the waiters waiting
				p.mu.Lock()
				p.inflight, f.err = nil, fmt.Errorf("alidomain: %s: the source panicked", p.name)
				close(f.done)
				p.mu.Unlock()
				panic(r)
			}
		}()
		outer, _ := ctx.Value(resolvingKey{}).(*resolving)
		c, err = p.fetch(context.WithValue(ctx, resolvingKey{}, &resolving{f: f, outer: outer}))
	}()
	if err == nil && !c.valid() {
		err = errors.New("the source returned an empty AccessKey ID or secret")
	}
	if err == nil && !c.Expiration.IsZero() && !p.now().Before(c.Expiration) {
		err = fmt.Errorf("the source returned credentials that expired at %s (is the clock right?)", c.Expiration.UTC().Format(time.RFC3339))
	}

	p.mu.Lock()
	defer p.mu.Unlock()
	p.inflight, f.canceled = nil, ctx.Err() != nil
	defer close(f.done)
	now := p.now()
	switch {
	case err == nil:
		p.cur, p.have, p.notBefore = c, true, now.Add(minRefreshInterval)
		return c, nil
	case p.usable(now):
		p.notBefore = now.Add(failedRefreshPause)
		return p.cur, nil
	case p.have:
		f.err = fmt.Errorf("alidomain: %s: the cached credentials expired at %s and refreshing them failed: %w",
			p.name, p.cur.Expiration.UTC().Format(time.RFC3339), err)
	default:
		f.err = fmt.Errorf("alidomain: %s: %w", p.name, err)
	}
	return Credentials{}, f.err
}

// errorProvider fails every call with err: a misconfigured provider.
type errorProvider struct{ err error }

// Credentials returns the configuration error.
func (p errorProvider) Credentials(context.Context) (Credentials, error) { return Credentials{}, p.err }
