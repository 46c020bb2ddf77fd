package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/alidomain/alidomain/alidomaintest"
)

// startSimulator starts the built-in simulator with the account
// ALIDOMAIN_SIMULATE_ACCOUNT names, the task duration and faults its test
// hooks ask for.
func (a *app) startSimulator() (*alidomaintest.Server, error) {
	dur := simTaskDuration
	if s := a.getenv(envSimTaskDuration); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d < 0 {
			return nil, fmt.Errorf("%s=%q: want a duration such as 0s or 2s", envSimTaskDuration, s)
		}
		dur = d
	}
	account := a.getenv(envSimAccount)
	var opts []alidomaintest.Option
	opts = append(opts, alidomaintest.WithTaskDuration(dur))
	sim := alidomaintest.NewServer(opts...)
	switch account {
	case "", "demo":
		seedDemo(sim)
	case "big":
		seedBig(sim, time.Now(), 20000, 5000)
	default:
		sim.Close()
		return nil, fmt.Errorf("%s=%q: want demo or big", envSimAccount, account)
	}
	if err := injectFaults(sim, a.getenv(envSimFault)); err != nil {
		sim.Close()
		return nil, err
	}
	return sim, nil
}

// injectFaults reads "ACTION=FAULT[,ACTION=FAULT...]".
func injectFaults(sim *alidomaintest.Server, spec string) error {
	if spec == "" {
		return nil
	}
	for _, part := range strings.Split(spec, ",") {
		action, name, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return fmt.Errorf("%s: %q is not ACTION=FAULT", envSimFault, part)
		}
		var f alidomaintest.Fault
		switch name {
		case "drop-after-commit":
			f = alidomaintest.CommitThenDrop()
		case "error-after-commit":
			f = alidomaintest.ServerErrorAfterCommit()
		case "throttle":
			f = alidomaintest.Throttle(1)
		case "throttle-forever":
			f = alidomaintest.ThrottleForever()
		case "reset-before-commit":
			f = alidomaintest.ResetBeforeCommit()
		case "unavailable":
			f = alidomaintest.ServiceUnavailable()
		default:
			return fmt.Errorf("%s: unknown fault %q", envSimFault, name)
		}
		if !knownAction(action) {
			return fmt.Errorf("%s: unknown action %q", envSimFault, action)
		}
		sim.Inject(action, f)
	}
	return nil
}

// knownAction reports whether the simulator answers action: every action
// of the catalog.
func knownAction(action string) bool { return theCatalog().Lookup(action) != nil }

// seedDemo fills the demo account (README's "The demo account"; its
// contents are alidomaintest.Server.AddDemoAccount's).
func seedDemo(sim *alidomaintest.Server) { sim.AddDemoAccount() }

// seedBig fills a big account: total domains, of which expiring expire
// within 30 days and the others later; every one has a renewal price.
func seedBig(sim *alidomaintest.Server, now time.Time, total, expiring int) {
	day := 24 * time.Hour
	for i := 0; i < total; i++ {
		name := fmt.Sprintf("big-%05d.com", i)
		if i < expiring {
			sim.AddDomain(name, now.Add(day+time.Duration(i%28)*day), alidomaintest.NeedsRenewal())
		} else {
			sim.AddDomain(name, now.Add(60*day+time.Duration(i%300)*day), alidomaintest.Normal())
		}
		sim.SetPrice(name, alidomaintest.PriceRenew, 69, "CNY")
	}
}
