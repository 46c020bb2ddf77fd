// Package credsrc holds what the credential sources share below the
// public providers: reading a credentials or token file safely, and the HTTP
// client of a credentials endpoint (instance metadata, a credentials URI, STS).
package credsrc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"time"
)

// MaxFileSize bounds a credentials file, a CLI config and an OIDC
// token file: the real ones are a few KiB.
const MaxFileSize = 1 << 20

// CheckFile refuses what is not a regular file of at most
// MaxFileSize bytes: a device such as /dev/zero never ends, and
// opening a FIFO waits for a writer.
func CheckFile(st fs.FileInfo) error {
	m := st.Mode()
	switch {
	case m.IsRegular():
		if st.Size() > MaxFileSize {
			return fmt.Errorf("it is larger than 1 MiB (%d bytes)", st.Size())
		}
		return nil
	case m.IsDir():
		return errors.New("it is a directory, not a regular file")
	case m&fs.ModeNamedPipe != 0:
		return errors.New("it is a named pipe (FIFO), not a regular file")
	case m&fs.ModeSocket != 0:
		return errors.New("it is a socket, not a regular file")
	case m&fs.ModeDevice != 0:
		return errors.New("it is a device, not a regular file")
	}
	return fmt.Errorf("it is not a regular file (mode %v)", m.Type())
}

// ReadFile reads the regular file at path, of at most
// MaxFileSize bytes, giving up when ctx ends (a file on a stalled
// network mount: the read goes on in the background and its result is
// dropped). Its errors never hold the file's content.
func ReadFile(ctx context.Context, path string) ([]byte, error) {
	read := FileReader
	if ctx.Done() == nil {
		return read(path)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("gave up reading it: %w", err)
	}
	type result struct {
		data []byte
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		data, err := read(path)
		ch <- result{data, err}
	}()
	select {
	case r := <-ch:
		return r.data, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("gave up reading it: %w", ctx.Err())
	}
}

// FileReader reads a credentials file; tests replace it to stall
// like a file on a hung network mount.
var FileReader = readRegularFile

// readRegularFile reads path if it is a regular file of at most
// MaxFileSize bytes, checked before opening and again on what was
// opened (the path may have been swapped in between).
func readRegularFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := CheckFile(st); err != nil {
		return nil, err
	}
	f, err := OpenRegularFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, errors.New("it is larger than 1 MiB")
	}
	return data, nil
}

// OpenRegularFile opens path without waiting for a FIFO's writer and
// checks what it opened, which may differ from what was checked before.
func OpenRegularFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|openNonblock, 0)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err == nil {
		err = CheckFile(st)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// HTTPClient returns an HTTP client for a credentials source:
// dial bounds connecting, attempt the whole exchange; no redirects.
func HTTPClient(dial, attempt time.Duration, proxy bool) *http.Client {
	t := &http.Transport{
		DialContext:           (&net.Dialer{Timeout: dial}).DialContext,
		TLSHandshakeTimeout:   dial,
		ResponseHeaderTimeout: attempt,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       30 * time.Second,
	}
	if proxy {
		t.Proxy = http.ProxyFromEnvironment
	}
	return &http.Client{
		Timeout:       attempt,
		Transport:     t,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
