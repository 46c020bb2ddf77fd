package demo

import (
	"bytes"
	"strings"
	"testing"

	"github.com/alidomain/alidomain/alidomaintest"
)

func TestNameKeyAndFirstNonEmpty(t *testing.T) {
	if NameKey("例子.CN") != NameKey("xn--fsqu00a.cn") || NameKey("A.com") != "a.com" {
		t.Errorf("NameKey: %q %q %q", NameKey("例子.CN"), NameKey("xn--fsqu00a.cn"), NameKey("A.com"))
	}
	if got := FirstNonEmpty("", "b", "c"); got != "b" {
		t.Errorf("FirstNonEmpty = %q", got)
	}
	if IsTerminal(&bytes.Buffer{}) {
		t.Error("a buffer is not a terminal")
	}
}

func TestClientOnTheSimulator(t *testing.T) {
	var out bytes.Buffer
	seeded := false
	c, mode, stop, err := Client(Setup{Prog: "x", Seed: func(*alidomaintest.Server) { seeded = true }}, &out)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if mode != "simulator" || !seeded || c == nil || !strings.Contains(out.String(), "x: using the built-in simulator") {
		t.Errorf("mode %q, seeded %v, output %q", mode, seeded, out.String())
	}
}
