package alidomain

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/internal/credsrc"
)

// hangBound is how long a credentials call may take before a test calls it
// a hang: far beyond the 1 s deadlines the tests give, for a busy machine.
const hangBound = 10 * time.Second

// callBounded asks p for credentials and fails the test if that takes
// longer than hangBound.
func callBounded(t *testing.T, ctx context.Context, p CredentialsProvider) (Credentials, error) {
	t.Helper()
	type result struct {
		c   Credentials
		err error
	}
	ch := make(chan result, 1)
	go func() {
		c, err := p.Credentials(ctx)
		ch <- result{c, err}
	}()
	select {
	case r := <-ch:
		return r.c, r.err
	case <-time.After(hangBound):
		t.Fatalf("the provider did not return within %v", hangBound)
		return Credentials{}, nil
	}
}

// paddedINI is a valid INI credentials file of about size bytes: comment
// lines after the profile.
func paddedINI(size int) string {
	var b strings.Builder
	b.WriteString("[default]\ntype = access_key\naccess_key_id = padded-id\naccess_key_secret = SECRETVALUE\n")
	line := "# " + strings.Repeat("SECRETVALUE ", 80) + "\n"
	for b.Len()+len(line) <= size {
		b.WriteString(line)
	}
	return b.String()
}

// A credentials file or CLI config named by its variable that is a
// directory or larger than 1 MiB is an error naming the variable and the
// path, never quoting the file; one just under 1 MiB is read.
func TestCredentialFilesMustBeSmallRegularFiles(t *testing.T) {
	for _, env := range []string{EnvConfigFile, EnvCredentialsFile} {
		t.Run(env, func(t *testing.T) {
			dir := t.TempDir()
			big := filepath.Join(dir, "big")
			writeFile(t, big, paddedINI(credsrc.MaxFileSize+4096))
			for _, tc := range []struct{ path, want string }{
				{dir, "directory"},
				{big, "larger than 1 MiB"},
			} {
				clearEnv(t)
				t.Setenv(env, tc.path)
				_, err := callBounded(t, context.Background(), DefaultCredentials())
				require.Error(t, err, tc.path)
				assert.Contains(t, err.Error(), env)
				assert.Contains(t, err.Error(), tc.path)
				assert.Contains(t, err.Error(), tc.want)
				assert.NotContains(t, err.Error(), "SECRETVALUE")
			}
		})
	}
	// The limit leaves room for any real file.
	clearEnv(t)
	ok := filepath.Join(t.TempDir(), "credentials")
	writeFile(t, ok, paddedINI(credsrc.MaxFileSize-1024))
	t.Setenv(EnvCredentialsFile, ok)
	c, err := DefaultCredentials().Credentials(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "padded-id", c.AccessKeyID)
}

// The OIDC token file is held to the same rules: a directory or a file
// over 1 MiB is an error naming it, and STS is never asked.
func TestOIDCTokenFileMustBeSmallRegularFile(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	big := filepath.Join(dir, "token")
	require.NoError(t, os.WriteFile(big, []byte(strings.Repeat("eyJ.SECRETVALUE.", credsrc.MaxFileSize/16+1)), 0o600))
	for _, tc := range []struct{ path, want string }{{dir, "directory"}, {big, "larger than 1 MiB"}} {
		p := OIDCCredentials(OIDCOptions{RoleARN: "acs:ram::1:role/r", OIDCProviderARN: "acs:ram::1:oidc-provider/p",
			OIDCTokenFile: tc.path, Endpoint: "http://127.0.0.1:1/"})
		_, err := callBounded(t, context.Background(), p)
		require.Error(t, err)
		assert.Contains(t, err.Error(), tc.path)
		assert.Contains(t, err.Error(), tc.want)
		assert.NotContains(t, err.Error(), "SECRETVALUE")
		assert.NotContains(t, err.Error(), "127.0.0.1", "STS was not asked")
	}
}

// A read that stalls (a file on a hung network mount) gives up when the
// caller's context ends, with an error that says so.
func TestCredentialFileReadHonoursContext(t *testing.T) {
	clearEnv(t)
	path := filepath.Join(t.TempDir(), "config.json")
	writeFile(t, path, `{"current":"default","profiles":[{"name":"default","mode":"AK","access_key_id":"id","access_key_secret":"s"}]}`)
	t.Setenv(EnvConfigFile, path)
	release := make(chan struct{})
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { close(release) }) })
	old := credsrc.FileReader
	credsrc.FileReader = func(p string) ([]byte, error) {
		<-release
		return old(p)
	}
	t.Cleanup(func() { credsrc.FileReader = old })

	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	p := DefaultCredentials()
	_, err := callBounded(t, ctx, p)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), path)
	assert.Contains(t, err.Error(), EnvConfigFile)

	// Once the file reads again, the same provider works: nothing was cached.
	once.Do(func() { close(release) })
	c, err := callBounded(t, context.Background(), p)
	require.NoError(t, err)
	assert.Equal(t, "id", c.AccessKeyID)
}

// ownSourceRole returns an AssumeRole provider whose Source is whatever
// *src is when it is asked; its STS endpoint refuses connections, in case
// a cycle were not caught.
func ownSourceRole(name string, src *CredentialsProvider) CredentialsProvider {
	return AssumeRoleCredentials(AssumeRoleOptions{
		RoleARN:  "acs:ram::1:role/" + name,
		Endpoint: "http://127.0.0.1:1/",
		Source: CredentialsProviderFunc(func(ctx context.Context) (Credentials, error) {
			return (*src).Credentials(ctx)
		}),
	})
}

// AssumeRoleCredentials whose Source is itself, directly or through
// another AssumeRole, fails at once with an error saying so, without a
// deadline to end the wait.
func TestAssumeRoleOwnSourceIsAnError(t *testing.T) {
	var self CredentialsProvider
	self = ownSourceRole("self", &self)
	_, err := callBounded(t, context.Background(), self)
	require.ErrorIs(t, err, errProviderCycle)
	assert.Contains(t, err.Error(), "its own source")
	assert.Contains(t, err.Error(), "role/self")

	var a, b CredentialsProvider
	a = ownSourceRole("a", &b)
	b = ownSourceRole("b", &a)
	_, err = callBounded(t, context.Background(), a)
	require.ErrorIs(t, err, errProviderCycle)
	_, err = callBounded(t, context.Background(), b)
	require.ErrorIs(t, err, errProviderCycle)
}

// Two roles that are each other's source, refreshed by two goroutines at
// once, so that each finds the other's refresh in progress: the cycle runs
// across goroutines and is still found, and both calls fail.
func TestAssumeRoleCycleAcrossGoroutinesIsAnError(t *testing.T) {
	var a, b CredentialsProvider
	aIn, bIn := make(chan struct{}), make(chan struct{})
	var aOnce, bOnce sync.Once
	via := func(in chan struct{}, once *sync.Once, other chan struct{}, next *CredentialsProvider) CredentialsProvider {
		return CredentialsProviderFunc(func(ctx context.Context) (Credentials, error) {
			once.Do(func() { close(in) })
			<-other // both refreshes are in progress
			return (*next).Credentials(ctx)
		})
	}
	a = AssumeRoleCredentials(AssumeRoleOptions{RoleARN: "acs:ram::1:role/a", Endpoint: "http://127.0.0.1:1/", Source: via(aIn, &aOnce, bIn, &b)})
	b = AssumeRoleCredentials(AssumeRoleOptions{RoleARN: "acs:ram::1:role/b", Endpoint: "http://127.0.0.1:1/", Source: via(bIn, &bOnce, aIn, &a)})
	errs := make(chan error, 2)
	for _, p := range []CredentialsProvider{a, b} {
		go func() {
			_, err := p.Credentials(context.Background())
			errs <- err
		}()
	}
	for range 2 {
		select {
		case err := <-errs:
			require.ErrorIs(t, err, errProviderCycle)
		case <-time.After(hangBound):
			t.Fatalf("the two roles waited for each other for %v", hangBound)
		}
	}
}

// A source shared by many roles is still refreshed once for all of them:
// the cycle check does not mistake waiting for a shared refresh for a cycle.
func TestSharedSourceIsNotACycle(t *testing.T) {
	clock := newFakeClock()
	gate := make(chan struct{})
	src := &countingSource{clock: clock, next: func(int, time.Time) Credentials {
		<-gate
		return Credentials{AccessKeyID: "src", AccessKeySecret: "s", Expiration: clock.Now().Add(time.Hour)}
	}}
	shared := newCachingProvider("shared", src.fetch)
	shared.now = clock.Now
	roles := make([]*cachingProvider, 8)
	for i := range roles {
		roles[i] = newCachingProvider("role", func(ctx context.Context) (Credentials, error) {
			c, err := shared.Credentials(ctx)
			if err != nil {
				return Credentials{}, err
			}
			return Credentials{AccessKeyID: "role-" + c.AccessKeyID, AccessKeySecret: "s", Expiration: clock.Now().Add(time.Hour)}, nil
		})
		roles[i].now = clock.Now
	}
	errs := make(chan error, len(roles))
	for _, r := range roles {
		go func() {
			_, err := r.Credentials(context.Background())
			errs <- err
		}()
	}
	waitFor(t, "7 roles waiting for the shared source's refresh", func() bool {
		shared.mu.Lock()
		defer shared.mu.Unlock()
		return shared.waiting == len(roles)-1
	})
	close(gate)
	for range roles {
		require.NoError(t, <-errs)
	}
	assert.Len(t, src.times(), 1)
}
