package alidomain

import (
	"os"
	"strings"
	"testing"
)

// TestReadmeQuickStart keeps README's Quick start identical to
// redeemExpired in example_test.go, which the compiler and go vet check
// and Example_quickStart runs.
func TestReadmeQuickStart(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Quick start\n")
	if !ok {
		t.Fatal("README has no Quick start section")
	}
	_, block, ok := strings.Cut(section, "```go\n")
	if !ok {
		t.Fatal("the Quick start has no Go code block")
	}
	block, _, _ = strings.Cut(block, "```\n")

	src, err := os.ReadFile("example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(string(src), "\nfunc redeemExpired(")
	if start < 0 {
		t.Fatal("example_test.go has no redeemExpired")
	}
	fn := string(src[start+1:])
	end := strings.Index(fn, "\n}\n")
	fn = fn[:end+3]
	if block != fn {
		t.Errorf("README's Quick start differs from redeemExpired in example_test.go:\n--- README\n%s\n--- example_test.go\n%s", block, fn)
	}
}
