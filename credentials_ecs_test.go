package alidomain

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/alidomaintest"
	"github.com/alidomain/alidomain/internal/credsrc"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// useClock makes clock the clock of every caching provider for the test.
func useClock(t *testing.T, clock *fakeClock) {
	old := credentialsClock
	credentialsClock = clock.Now
	t.Cleanup(func() { credentialsClock = old })
}

// clocked sets the clock of a caching provider.
func clocked(t *testing.T, p CredentialsProvider, clock *fakeClock) *cachingProvider {
	t.Helper()
	cp, ok := p.(*cachingProvider)
	require.True(t, ok, "%T is not a caching provider", p)
	cp.now = clock.Now
	return cp
}

// newMetadata starts a fake metadata service driven by clock.
func newMetadata(t *testing.T, clock *fakeClock, o alidomaintest.MetadataOptions) *alidomaintest.MetadataServer {
	t.Helper()
	// The real timeouts (1 s) are for a network; a busy test machine gets more.
	old := defaultECSHTTPClient
	defaultECSHTTPClient = &lazyHTTPClient{build: func() *http.Client { return credsrc.HTTPClient(30*time.Second, 60*time.Second, false) }}
	t.Cleanup(func() { defaultECSHTTPClient = old })
	o.Clock = clock.Now
	m := alidomaintest.NewMetadataServer(o)
	t.Cleanup(m.Close)
	return m
}

func TestECSRoleIMDSv2TokenFlow(t *testing.T) {
	clearEnv(t)
	t.Setenv(EnvECSMetadataDisabled, "")
	clock := newFakeClock()
	m := newMetadata(t, clock, alidomaintest.MetadataOptions{RoleName: "app-role", IMDSv1Disabled: true})
	p := clocked(t, ECSRoleCredentials(ECSRoleOptions{Endpoint: m.URL, RoleName: "app-role"}), clock)

	c, err := p.Credentials(context.Background())
	require.NoError(t, err)
	id, exp := m.Current()
	assert.Equal(t, id, c.AccessKeyID)
	assert.True(t, exp.Equal(c.Expiration), "expiration %v, want %v", c.Expiration, exp)
	assert.NotEmpty(t, c.SecurityToken)
	st := m.Stats()
	assert.Equal(t, 1, st.TokenRequests)
	assert.Equal(t, 1, st.CredentialRequests)
	assert.Equal(t, 0, st.IMDSv1Requests, "every GET carries the session token")

	// Cached: no more requests until the refresh window.
	_, err = p.Credentials(context.Background())
	require.NoError(t, err)
	assert.Equal(t, st, m.Stats())
}

func TestECSRoleHardenedModeRefusesIMDSv1(t *testing.T) {
	ctx := context.Background()
	for _, viaEnv := range []bool{false, true} {
		t.Run(fmt.Sprint("env=", viaEnv), func(t *testing.T) {
			clearEnv(t)
			t.Setenv(EnvECSMetadataDisabled, "")
			clock := newFakeClock()
			m := newMetadata(t, clock, alidomaintest.MetadataOptions{NoIMDSv2: true})
			o := ECSRoleOptions{Endpoint: m.URL}
			if viaEnv {
				t.Setenv(EnvIMDSv1Disabled, "true")
			} else {
				o.DisableIMDSv1 = true
			}
			_, err := clocked(t, ECSRoleCredentials(o), clock).Credentials(ctx)
			require.ErrorContains(t, err, "IMDSv1 is disabled")
			assert.Equal(t, 0, m.Stats().IMDSv1Requests, "no request without a token was sent")
			assert.False(t, errors.Is(err, errNotFound), "a refused fallback is not an absent source")
		})
	}

	// Allowed, the same service is read with IMDSv1.
	clearEnv(t)
	t.Setenv(EnvECSMetadataDisabled, "")
	clock := newFakeClock()
	m := newMetadata(t, clock, alidomaintest.MetadataOptions{NoIMDSv2: true})
	c, err := clocked(t, ECSRoleCredentials(ECSRoleOptions{Endpoint: m.URL}), clock).Credentials(ctx)
	require.NoError(t, err)
	id, _ := m.Current()
	assert.Equal(t, id, c.AccessKeyID)
	assert.Equal(t, 2, m.Stats().IMDSv1Requests, "role discovery and credentials")

	// A hardened service refuses IMDSv1 itself: 403, and the error says so
	// without quoting the answer.
	m2 := newMetadata(t, clock, alidomaintest.MetadataOptions{NoIMDSv2: true, IMDSv1Disabled: true})
	_, err = clocked(t, ECSRoleCredentials(ECSRoleOptions{Endpoint: m2.URL}), clock).Credentials(ctx)
	require.ErrorContains(t, err, "HTTP 403")
	assert.NotContains(t, err.Error(), "IMDSv1 is disabled on this instance")
}

func TestECSRoleDiscovery(t *testing.T) {
	ctx := context.Background()
	clearEnv(t)
	t.Setenv(EnvECSMetadataDisabled, "")
	clock := newFakeClock()
	m := newMetadata(t, clock, alidomaintest.MetadataOptions{RoleName: "discovered-role"})

	c, err := clocked(t, ECSRoleCredentials(ECSRoleOptions{Endpoint: m.URL}), clock).Credentials(ctx)
	require.NoError(t, err)
	id, _ := m.Current()
	assert.Equal(t, id, c.AccessKeyID)

	// ALIBABA_CLOUD_ECS_METADATA names the role: no discovery, and a wrong
	// name is an error that names it.
	t.Setenv(EnvECSMetadata, "other-role")
	_, err = clocked(t, ECSRoleCredentials(ECSRoleOptions{Endpoint: m.URL}), clock).Credentials(ctx)
	require.ErrorContains(t, err, `no RAM role "other-role"`)
	t.Setenv(EnvECSMetadata, "discovered-role")
	_, err = clocked(t, ECSRoleCredentials(ECSRoleOptions{Endpoint: m.URL}), clock).Credentials(ctx)
	require.NoError(t, err)

	// No role attached: an absent source.
	t.Setenv(EnvECSMetadata, "")
	none := newMetadata(t, clock, alidomaintest.MetadataOptions{NoRole: true})
	_, err = clocked(t, ECSRoleCredentials(ECSRoleOptions{Endpoint: none.URL}), clock).Credentials(ctx)
	require.ErrorContains(t, err, "no RAM role attached")
	assert.ErrorIs(t, err, errNotFound)

	// ALIBABA_CLOUD_ECS_METADATA_DISABLED turns the source off: no request.
	t.Setenv(EnvECSMetadataDisabled, "true")
	before := m.Stats()
	_, err = ECSRoleCredentials(ECSRoleOptions{Endpoint: m.URL}).Credentials(ctx)
	require.ErrorContains(t, err, EnvECSMetadataDisabled)
	assert.Equal(t, before, m.Stats())
}

// gatedDoer holds requests whose path ends with suffix until released.
type gatedDoer struct {
	suffix  string
	release chan struct{}
	mu      sync.Mutex
	armed   bool
	fail    error // returned for held requests once released, if set
	held    int
}

func (g *gatedDoer) arm() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.armed, g.release = true, make(chan struct{})
}

func (g *gatedDoer) open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.armed {
		g.armed = false
		close(g.release)
	}
}

func (g *gatedDoer) Do(r *http.Request) (*http.Response, error) {
	g.mu.Lock()
	ch := g.release
	hold := g.armed && strings.HasSuffix(r.URL.Path, g.suffix)
	fail := g.fail
	if hold {
		g.held++
	}
	g.mu.Unlock()
	if hold {
		<-ch
		if fail != nil {
			return nil, fail
		}
	}
	return http.DefaultClient.Do(r)
}

// waitFor polls cond until it holds, failing after a generous bound.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// Under 64 goroutines, each expiry window costs exactly one refresh: ahead of
// expiry (the others keep using the valid cache) and after it (the others
// wait for the one refresh).
func TestRefreshOncePerWindowUnder64Goroutines(t *testing.T) {
	clearEnv(t)
	t.Setenv(EnvECSMetadataDisabled, "")
	clock := newFakeClock()
	m := newMetadata(t, clock, alidomaintest.MetadataOptions{RoleName: "r", Lifetime: time.Hour})
	gate := &gatedDoer{suffix: "/security-credentials/r"}
	p := clocked(t, ECSRoleCredentials(ECSRoleOptions{Endpoint: m.URL, RoleName: "r", HTTPClient: gate}), clock)
	ctx := context.Background()

	burst := func() []Credentials {
		out := make([]Credentials, 64)
		errs := make([]error, 64)
		var wg sync.WaitGroup
		for i := range out {
			wg.Add(1)
			go func() {
				defer wg.Done()
				out[i], errs[i] = p.Credentials(ctx)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err)
		}
		return out
	}
	first := burst()
	assert.Equal(t, 1, m.Stats().CredentialRequests, "64 first calls, one fetch")
	for _, c := range first {
		assert.Equal(t, first[0].AccessKeyID, c.AccessKeyID)
	}
	exp := first[0].Expiration

	// Still more than 180 s left: no refresh.
	clock.Add(exp.Sub(clock.Now()) - refreshAhead - time.Second)
	burst()
	assert.Equal(t, 1, m.Stats().CredentialRequests)

	// 179 s left: one refresh, the others served from the valid cache.
	clock.Add(2 * time.Second)
	got := burst()
	assert.Equal(t, 2, m.Stats().CredentialRequests, "one refresh ahead of expiry")
	id, _ := m.Current()
	assert.Equal(t, id, p.cur.AccessKeyID)
	assert.NotEqual(t, first[0].AccessKeyID, id)
	for _, c := range got {
		assert.Contains(t, []string{first[0].AccessKeyID, id}, c.AccessKeyID)
	}

	// Expired: the refresh is held until all 63 others are waiting for it.
	clock.Add(2 * time.Hour)
	gate.arm()
	done := make(chan []Credentials)
	go func() { done <- burst() }()
	waitFor(t, "63 waiters and the refresh at the gate", func() bool {
		p.mu.Lock()
		waiting := p.waiting
		p.mu.Unlock()
		gate.mu.Lock()
		defer gate.mu.Unlock()
		return waiting == 63 && gate.held == 1
	})
	gate.open()
	got = <-done
	assert.Equal(t, 3, m.Stats().CredentialRequests, "one refresh after expiry")
	id, _ = m.Current()
	for _, c := range got {
		assert.Equal(t, id, c.AccessKeyID, "every caller got the refreshed credentials")
	}
}

// With nothing cached and a failing source, 64 goroutines share the outcome
// of one attempt.
func TestFailedRefreshIsShared(t *testing.T) {
	clearEnv(t)
	t.Setenv(EnvECSMetadataDisabled, "")
	clock := newFakeClock()
	m := newMetadata(t, clock, alidomaintest.MetadataOptions{RoleName: "r"})
	gate := &gatedDoer{suffix: "/security-credentials/r"}
	p := clocked(t, ECSRoleCredentials(ECSRoleOptions{Endpoint: m.URL, RoleName: "r", HTTPClient: gate}), clock)
	gate.arm()
	gate.fail = errors.New("connection reset")
	errs := make(chan error, 64)
	for range 64 {
		go func() {
			_, err := p.Credentials(context.Background())
			errs <- err
		}()
	}
	waitFor(t, "63 waiters and the refresh at the gate", func() bool {
		p.mu.Lock()
		waiting := p.waiting
		p.mu.Unlock()
		gate.mu.Lock()
		defer gate.mu.Unlock()
		return waiting == 63 && gate.held == 1
	})
	gate.open()
	for range 64 {
		err := <-errs
		require.Error(t, err)
		assert.Contains(t, err.Error(), "ECS RAM role")
	}
	gate.mu.Lock()
	assert.Equal(t, 1, gate.held, "one attempt for all 64")
	gate.mu.Unlock()
	assert.Equal(t, 1, m.Stats().TokenRequests)
}

func TestFailingRefreshServesValidCache(t *testing.T) {
	clearEnv(t)
	t.Setenv(EnvECSMetadataDisabled, "")
	clock := newFakeClock()
	m := newMetadata(t, clock, alidomaintest.MetadataOptions{RoleName: "r"})
	p := clocked(t, ECSRoleCredentials(ECSRoleOptions{Endpoint: m.URL}), clock)
	ctx := context.Background()

	c0, err := p.Credentials(ctx)
	require.NoError(t, err)
	clock.Add(c0.Expiration.Sub(clock.Now()) - time.Minute) // in the refresh window
	m.FailNext(1000)
	c, err := p.Credentials(ctx)
	require.NoError(t, err, "the cache is still valid")
	assert.Equal(t, c0, c)
	n := m.Stats().CredentialRequests
	c, err = p.Credentials(ctx)
	require.NoError(t, err)
	assert.Equal(t, c0, c)
	assert.Equal(t, n, m.Stats().CredentialRequests, "no new attempt right after a failure")

	// Expired, and the source still fails: an error naming the source, with
	// nothing of what the service answered (its 500 quotes the credentials).
	clock.Add(2 * time.Minute)
	_, err = p.Credentials(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "ECS RAM role")
	assert.Contains(t, err.Error(), "expired")
	assert.Contains(t, err.Error(), "HTTP 500")
	assert.NotContains(t, err.Error(), c0.AccessKeySecret)
	assert.NotContains(t, err.Error(), c0.SecurityToken)
	assert.NotContains(t, err.Error(), "internal error")

	// The source recovers.
	m.FailNext(0)
	c, err = p.Credentials(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, c0.AccessKeyID, c.AccessKeyID)
}

func TestECSRoleUnreachableIsAbsent(t *testing.T) {
	clearEnv(t)
	t.Setenv(EnvECSMetadataDisabled, "")
	m := alidomaintest.NewMetadataServer(alidomaintest.MetadataOptions{})
	url := m.URL
	m.Close() // a loopback port that refuses connections
	_, err := ECSRoleCredentials(ECSRoleOptions{Endpoint: url}).Credentials(context.Background())
	require.ErrorContains(t, err, "unreachable")
	assert.ErrorIs(t, err, errNotFound)
}

// Off ECS, the metadata service must fail fast, and never through a proxy.
func TestECSDefaultHTTPClientIsShortAndDirect(t *testing.T) {
	hc := defaultECSHTTPClient.get()
	assert.Equal(t, 2*time.Second, hc.Timeout)
	tr := hc.Transport.(*http.Transport)
	assert.Nil(t, tr.Proxy)
	assert.Equal(t, time.Second, tr.TLSHandshakeTimeout)
	assert.Equal(t, time.Second, tr.ResponseHeaderTimeout)
	assert.NotNil(t, tr.DialContext)
	assert.Equal(t, "http://100.100.100.200", defaultMetadataEndpoint)
	sts := defaultSTSHTTPClient.get()
	assert.Equal(t, 10*time.Second, sts.Timeout)
	assert.NotNil(t, sts.Transport.(*http.Transport).Proxy, "STS honours HTTPS_PROXY")
}
