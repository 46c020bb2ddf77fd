package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/alidomain/alidomain/alidomaintest"
)

// demoProfileID is the demo account's verified registrant profile.
const demoProfileID = 20001

// demoTransfers are the demo's domains held elsewhere, with the codes that
// transfer them in (README lists them: they exist only in the simulator).
var demoTransfers = []struct{ name, code string }{
	{"acme-transfer.com", "DEMO-EPP-7Q2X"},
	{"acme-transfer.net", "DEMO-EPP-K9M4"},
	{"acme-transfer.org", "DEMO-EPP-Z3T8"},
}

// demoAvailable are names free to register in the demo.
var demoAvailable = []string{"acme-new.com", "acme-new.net", "acme-new.org", "新域名.cn"}

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
		seedDemo(sim, time.Now())
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

// price sets a domain's prices for every order kind, in CNY and USD.
func price(sim *alidomaintest.Server, name string, cny float64) {
	for _, act := range []string{alidomaintest.PriceRenew, alidomaintest.PriceRestore, alidomaintest.PriceTransfer, alidomaintest.PriceCreate} {
		p := cny
		if act == alidomaintest.PriceRestore {
			p = cny * 6
		}
		sim.SetPrice(name, act, p, "CNY")
		sim.SetPrice(name, act, float64(int(p/7*100))/100, "USD")
	}
}

// seedDemo fills the demo account (README's "The demo account"): domains
// expiring within 30 days, in redemption, normal ones in two groups,
// a premium one, one without a price, names to transfer in and to register,
// and a verified registrant profile.
func seedDemo(sim *alidomaintest.Server, now time.Time) {
	day := 24 * time.Hour
	web := alidomaintest.Group("1001", "web")
	mail := alidomaintest.Group("1002", "mail")
	// Expiring within 30 days: what "renew --expiring 30d" orders.
	expiring := []struct {
		name string
		days int
		opts []alidomaintest.DomainOption
	}{
		{"acme-shop.com", 3, []alidomaintest.DomainOption{web, alidomaintest.NeedsRenewal()}},
		{"acme-blog.net", 9, []alidomaintest.DomainOption{web, alidomaintest.NeedsRenewal()}},
		{"acme-mail.com", 12, []alidomaintest.DomainOption{mail, alidomaintest.NeedsRenewal()}},
		{"例子.cn", 16, []alidomaintest.DomainOption{web, alidomaintest.NeedsRenewal()}},
		{"acme-api.io", 21, []alidomaintest.DomainOption{alidomaintest.Normal()}},
		{"acme-docs.org", 25, []alidomaintest.DomainOption{alidomaintest.Normal()}},
		{"中文网站.com", 27, []alidomaintest.DomainOption{web, alidomaintest.Normal()}},
		{"acme-status.dev", 29, []alidomaintest.DomainOption{alidomaintest.Normal()}},
	}
	for i, d := range expiring {
		sim.AddDomain(d.name, now.Add(time.Duration(d.days)*day), d.opts...)
		price(sim, d.name, float64(69+10*i))
	}
	// Expiring in 30 to 60 days: one premium, one the service gives no
	// price for.
	sim.AddDomain("acme.vip", now.Add(40*day), alidomaintest.Premium(), alidomaintest.Normal())
	price(sim, "acme.vip", 12800)
	sim.AddDomain("acme-legacy.xyz", now.Add(45*day), alidomaintest.Normal()) // no price
	sim.AddDomain("acme-cdn.net", now.Add(52*day), mail, alidomaintest.Normal())
	price(sim, "acme-cdn.net", 79)
	// In their redemption period (expired 35 to 60 days ago).
	for i, name := range []string{"acme-old.com", "acme-old.net", "acme-archive.org", "旧域名.com"} {
		sim.AddDomain(name, now.Add(-time.Duration(35+8*i)*day), alidomaintest.NeedsRedemption())
		price(sim, name, float64(79+10*i))
	}
	sim.AddDomain("acme-expired.info", now.Add(-50*day), alidomaintest.NeedsRedemption(),
		alidomaintest.FailRedeem("the registry refused the redemption"))
	price(sim, "acme-expired.info", 59)
	// Normal domains, expiring in 2 to 11 months, in two groups.
	for i := 0; i < 14; i++ {
		name := fmt.Sprintf("acme-%02d.com", i+1)
		opts := []alidomaintest.DomainOption{alidomaintest.Normal()}
		switch i % 3 {
		case 0:
			opts = append(opts, web)
		case 1:
			opts = append(opts, mail)
		}
		if i%4 == 0 {
			opts = append(opts, alidomaintest.AutoRenew())
		}
		sim.AddDomain(name, now.Add(time.Duration(60+21*i)*day), opts...)
		price(sim, name, 69)
	}
	// Held elsewhere, transferable with their codes.
	for _, t := range demoTransfers {
		sim.AddTransferable(t.name, t.code, now.Add(200*day))
		price(sim, t.name, 65)
	}
	// Free to register.
	for _, name := range demoAvailable {
		sim.AddAvailable(name)
		price(sim, name, 55)
	}
	sim.AddRegistrantProfile(demoProfileID)
}

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
