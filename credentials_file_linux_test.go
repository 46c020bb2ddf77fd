//go:build linux

package alidomain

import (
	"context"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/internal/credsrc"
)

// maxReadHeap bounds what refusing a file may allocate: generous, and far
// below the gigabytes /dev/zero gave when it was read to the end.
const maxReadHeap = 64 << 20

// mkfifo makes a named pipe no one writes to in a temporary directory.
func mkfifo(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fifo")
	require.NoError(t, syscall.Mkfifo(path, 0o600))
	return path
}

// totalAlloc is the bytes allocated so far by the process.
func totalAlloc() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

// A credentials file or CLI config named by its variable that is
// /dev/zero or a FIFO is refused at once, with or without a deadline, with
// an error naming the variable, the path and what it is, and without
// reading: /dev/zero allocated gigabytes and a FIFO blocked forever.
func TestCredentialFilesRefuseDevicesAndFIFOs(t *testing.T) {
	for _, env := range []string{EnvConfigFile, EnvCredentialsFile} {
		for _, tc := range []struct {
			name, path, want string
		}{
			{"dev zero", "/dev/zero", "device"},
			{"fifo", mkfifo(t), "named pipe"},
		} {
			for _, deadline := range []bool{true, false} {
				name := env + "/" + tc.name + "/no deadline"
				if deadline {
					name = env + "/" + tc.name + "/1s deadline"
				}
				t.Run(name, func(t *testing.T) {
					clearEnv(t)
					t.Setenv(env, tc.path)
					ctx := context.Background()
					if deadline {
						var cancel context.CancelFunc
						ctx, cancel = context.WithTimeout(ctx, time.Second)
						defer cancel()
					}
					before := totalAlloc()
					_, err := callBounded(t, ctx, DefaultCredentials())
					require.Error(t, err)
					assert.Less(t, totalAlloc()-before, uint64(maxReadHeap))
					assert.Contains(t, err.Error(), env)
					assert.Contains(t, err.Error(), tc.path)
					assert.Contains(t, err.Error(), tc.want)
					assert.NotErrorIs(t, err, context.DeadlineExceeded, "refused, not timed out")
				})
			}
		}
	}
}

// The OIDC token file is held to the same rules, and STS is never asked.
func TestOIDCTokenFileRefusesDevicesAndFIFOs(t *testing.T) {
	clearEnv(t)
	for _, tc := range []struct{ path, want string }{{"/dev/zero", "device"}, {mkfifo(t), "named pipe"}} {
		p := OIDCCredentials(OIDCOptions{RoleARN: "acs:ram::1:role/r", OIDCProviderARN: "acs:ram::1:oidc-provider/p",
			OIDCTokenFile: tc.path, Endpoint: "http://127.0.0.1:1/"})
		before := totalAlloc()
		_, err := callBounded(t, context.Background(), p)
		require.Error(t, err)
		assert.Less(t, totalAlloc()-before, uint64(maxReadHeap))
		assert.Contains(t, err.Error(), tc.path)
		assert.Contains(t, err.Error(), tc.want)
		assert.NotContains(t, err.Error(), "127.0.0.1", "STS was not asked")
	}
}

// A path swapped for a FIFO after it was checked is refused when opened,
// without waiting for a writer.
func TestOpenRegularFileRefusesFIFO(t *testing.T) {
	fifo := mkfifo(t)
	done := make(chan error, 1)
	go func() {
		f, err := credsrc.OpenRegularFile(fifo)
		if err == nil {
			f.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		require.Error(t, err)
		assert.Contains(t, err.Error(), "named pipe")
	case <-time.After(hangBound):
		t.Fatal("opening a FIFO blocked")
	}
}
