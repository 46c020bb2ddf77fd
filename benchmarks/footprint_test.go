package benchmarks_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// footprintBudget is what a stripped program calling one action may add
// over the standard-library-only program: 1 MiB.
const footprintBudget = 1 << 20

// A program that calls one action of the SDK (through the generated layer
// or a friendly service) adds at most footprintBudget over the
// standard-library program, stripped as a release build is: the linker must
// be able to drop every declaration the program does not reach, so nothing
// the SDK declares may be built at package initialisation.
func TestFootprintOfOneAction(t *testing.T) {
	dir := t.TempDir()
	build := func(name string) int64 {
		t.Helper()
		out := filepath.Join(dir, name)
		// Without -trimpath the packages are those this test was built
		// from (no recompiling); the difference between two programs is
		// the same to the byte.
		cmd := exec.Command("go", "build", "-ldflags=-s -w", "-o", out, "./footprint/"+name)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build ./footprint/%s: %v\n%s", name, err, b)
		}
		fi, err := os.Stat(out)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	base := build("stdlib")
	for _, name := range []string{"api-one", "alidomain"} {
		size := build(name)
		added := size - base
		t.Logf("%s: %d bytes, %+d over stdlib (%.3f MiB)", name, size, added, float64(added)/(1<<20))
		if added > footprintBudget {
			t.Errorf("%s adds %d bytes over the standard-library program (%d); the budget is %d (1 MiB)", name, added, base, footprintBudget)
		}
	}
}
