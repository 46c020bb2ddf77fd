//go:build !unix

package alidomain_test

import (
	"net"
	"testing"
)

// closedPort returns a loopback address on which nothing listens (a port
// just released: another listener may take it, which unix avoids).
func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
