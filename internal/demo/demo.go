// Package demo holds what the example programs share: the Client they run
// against (the built-in simulator unless -live) and small terminal helpers.
package demo

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/alidomaintest"
	"golang.org/x/net/idna"
)

// LiveHelp is the help text of the examples' -live flag.
const LiveHelp = "use the real Domain API with DefaultCredentials: the first of these sources that has credentials: the environment (ALIBABA_CLOUD_ACCESS_KEY_ID, ...), OIDC (ACK RRSA: ALIBABA_CLOUD_ROLE_ARN, ...), the CLI's ~/.aliyun/config.json, the INI file ~/.alibabacloud/credentials, the ECS instance's RAM role, a credentials URI (ALIBABA_CLOUD_CREDENTIALS_URI); see README, Credentials"

// Setup says which service a program talks to.
type Setup struct {
	Prog     string        // the program's name, for messages
	Live     bool          // the real API, with DefaultCredentials
	Endpoint string        // with Live: the endpoint; empty for the default
	SimDelay time.Duration // without Live: how long a simulated task takes
	// Seed fills the simulator with the demo's account.
	Seed func(*alidomaintest.Server)
}

// Client returns a Client for the real API or for a fresh simulator seeded
// by s.Seed, the mode ("live" or "simulator") and a function that stops the
// simulator (a no-op when live).
func Client(s Setup, stderr io.Writer) (*alidomain.Client, string, func(), error) {
	opts := alidomain.Options{Credentials: alidomain.DefaultCredentials(), Endpoint: s.Endpoint}
	mode, stop := "live", func() {}
	if !s.Live {
		sim := alidomaintest.NewServer(alidomaintest.WithTaskDuration(s.SimDelay))
		s.Seed(sim)
		mode, stop = "simulator", sim.Close
		opts.Endpoint = sim.URL
		opts.Credentials = alidomain.StaticCredentials(sim.AccessKeyID, sim.AccessKeySecret)
		fmt.Fprintf(stderr, "%s: using the built-in simulator at %s (no account, no cost; -live for the real API)\n", s.Prog, sim.URL)
	}
	c, err := alidomain.New(opts)
	if err != nil {
		stop()
		return nil, "", nil, err
	}
	return c, mode, stop, nil
}

// IsTerminal reports whether w is a terminal, where a progress line is
// redrawn in place; elsewhere each change gets a line of its own.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// FirstNonEmpty returns the first of s that is not empty.
func FirstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// NameKey is the form in which names are compared: IDNA ASCII, lower case.
func NameKey(name string) string {
	if a, err := idna.Lookup.ToASCII(name); err == nil {
		return strings.ToLower(a)
	}
	return strings.ToLower(name)
}
