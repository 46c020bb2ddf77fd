// Command renew renews, in one batch, every domain of the account that
// expires within the next N days, or has already expired and can still be
// renewed (the service's grace period after expiration; the quote marks
// them), with the alidomain SDK: it lists them
// (QueryDomainList with an expiration window), quotes each one's price and
// the total (QueryDomainRealTimePrice), submits one
// SaveBatchTaskForCreatingOrderRenew task, follows it with live progress
// and prints a result table with the new expiration dates.
//
// Without flags it runs against the built-in simulator (alidomaintest),
// seeded with a few domains and prices: no account, no network, no cost.
//
//	go run ./examples/renew                       # the demo, on the simulator
//	go run ./examples/renew -days 60 -years 2     # a wider window, two years each
//	go run ./examples/renew -dry-run              # quote only, order nothing
//	go run ./examples/renew -live                 # quote on your account (orders nothing)
//	go run ./examples/renew -live -yes            # really renew (costs money)
//
// A paid order (-live) is placed only with -yes; on the simulator, where
// nothing is paid, the demo orders unless -dry-run. Premium names are
// renewed only with -premium, domains whose auto-renewal is on only with
// -with-auto-renew, and -max-total refuses an order whose quote exceeds it.
//
// The exit status is 0 when every domain was renewed (or none needed it),
// 1 when some failed or could not be renewed, 2 for bad usage or an error
// before anything was submitted, and 3 when the order's outcome could not
// be established.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/alidomaintest"
	"github.com/alidomain/alidomain/internal/demo"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailed  = 1
	exitUsage   = 2
	exitUnknown = 3
)

// priceBatch is how many domains one QueryDomainRealTimePrice call prices:
// the list travels as one URL parameter.
const priceBatch = 50

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, seedDemo)
	stop()
	os.Exit(code)
}

// config is what the flags say.
type config struct {
	live, yes, dryRun, asJSON, premium bool
	withAutoRenew                      bool
	days, years                        int
	currency                           string
	maxTotal                           float64
	timeout, poll, simDelay            time.Duration
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("renew", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	fs.BoolVar(&cfg.live, "live", false, demo.LiveHelp)
	fs.BoolVar(&cfg.yes, "yes", false, "with -live: really place the paid order (without it, -live only quotes)")
	fs.IntVar(&cfg.days, "days", 30, "renew the domains that expire within this many days (and those already expired that can still be renewed)")
	fs.IntVar(&cfg.years, "years", 1, "years to renew each domain for (1-10)")
	fs.StringVar(&cfg.currency, "currency", "USD", "currency of the quote")
	fs.BoolVar(&cfg.premium, "premium", false, "also renew premium names, at their premium price")
	fs.BoolVar(&cfg.withAutoRenew, "with-auto-renew", false, "also renew the domains whose auto-renewal is on (the service would renew them itself)")
	fs.Float64Var(&cfg.maxTotal, "max-total", 0, "order nothing if the quoted total exceeds this (0: no limit)")
	fs.BoolVar(&cfg.dryRun, "dry-run", false, "quote, and order nothing")
	fs.BoolVar(&cfg.asJSON, "json", false, "print the result as JSON")
	fs.DurationVar(&cfg.timeout, "timeout", 30*time.Minute, "give up waiting for the task after this long")
	fs.DurationVar(&cfg.simDelay, "sim-delay", 1500*time.Millisecond, "simulator only: how long the simulated service takes to renew a domain")
	fs.DurationVar(&cfg.poll, "poll", 0, "first pause between polls of the task (default: 2s live, 200ms on the simulator)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: renew [-live [-yes]] [-days 30] [-years 1] [-currency USD] [-premium] [-with-auto-renew] [-max-total N] [-dry-run] [-json]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, errReported{err} // the flag package has printed it, with the usage
	}
	switch {
	case fs.NArg() > 0:
		fs.Usage()
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case cfg.yes && !cfg.live:
		return nil, errors.New("-yes only makes sense with -live")
	case cfg.days < 1:
		return nil, errors.New("-days must be at least 1")
	case cfg.years < 1 || cfg.years > 10:
		return nil, errors.New("-years must be between 1 and 10")
	case cfg.maxTotal < 0:
		return nil, errors.New("-max-total must not be negative")
	case cfg.timeout <= 0:
		return nil, errors.New("-timeout must be positive")
	}
	cfg.currency = strings.ToUpper(cfg.currency)
	if cfg.live && !cfg.yes {
		cfg.dryRun = true
	}
	return &cfg, nil
}

// newClient makes the client: the simulator's or, with -live, the real
// API's (a variable, so that a test can put a proxy in front).
var newClient = demo.Client

// errReported is an error already shown to the user.
type errReported struct{ error }

// seedDemo fills the simulator with the demo's domains and prices: three
// that expire within 30 days, one later, one in its redemption period.
func seedDemo(s *alidomaintest.Server) {
	now := time.Now()
	in := func(days int) time.Time { return now.AddDate(0, 0, days).Truncate(time.Millisecond) }
	s.AddDomain("acme-shop.com", in(12), alidomaintest.NeedsRenewal())
	s.AddDomain("acme-blog.net", in(25), alidomaintest.Normal(), alidomaintest.Remark("team blog"))
	s.AddDomain("例子-acme.cn", in(-3), alidomaintest.NeedsRenewal())
	s.AddDomain("acme.io", now.AddDate(0, 8, 0), alidomaintest.Normal())
	s.AddDomain("acme-old.org", in(-40), alidomaintest.NeedsRedemption())
	s.SetPrice("acme-shop.com", alidomaintest.PriceRenew, 12.99, "USD")
	s.SetPrice("acme-blog.net", alidomaintest.PriceRenew, 10.50, "USD")
	s.SetPrice("例子-acme.cn", alidomaintest.PriceRenew, 5.25, "USD")
	s.SetPrice("acme.io", alidomaintest.PriceRenew, 39, "USD")
}

// result is one domain's line of the report.
type result struct {
	Domain         string     `json:"domain"`
	ExpirationDate time.Time  `json:"expirationDate"`
	NewExpiration  *time.Time `json:"newExpirationDate,omitempty"`
	Years          int        `json:"years"`
	// Expired marks a domain that has already expired and is still
	// renewable: the window reaches back to every such domain, not only
	// -days.
	Expired bool    `json:"expired,omitempty"`
	Price   float64 `json:"price"`
	Status  string  `json:"status"`
	Reason  string  `json:"reason,omitempty"`
}

// report is what -json prints.
type report struct {
	Mode     string   `json:"mode"`
	Days     int      `json:"days"`
	Currency string   `json:"currency"`
	Total    float64  `json:"total"`
	TaskNo   string   `json:"taskNo,omitempty"`
	DryRun   bool     `json:"dryRun"`
	Results  []result `json:"results"`
	Counts   struct {
		Succeeded int `json:"succeeded"`
		Failed    int `json:"failed"`
		Other     int `json:"other"`
	} `json:"counts"`
}

// Statuses of a result that is not a task detail's.
const (
	statusWouldRenew = "would renew"
	statusSkipped    = "skipped"
)

// run is the whole program; seed fills the simulator when not -live.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, seed func(*alidomaintest.Server)) int {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		if !errors.As(err, new(errReported)) {
			fmt.Fprintln(stderr, "renew:", err)
		}
		return exitUsage
	}
	client, mode, stop, err := newClient(demo.Setup{Prog: "renew", Live: cfg.live, SimDelay: cfg.simDelay, Seed: seed}, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "renew:", err)
		return exitUsage
	}
	defer stop()
	if mode == "simulator" && cfg.poll == 0 {
		cfg.poll = 200 * time.Millisecond
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	rep := report{Mode: mode, Days: cfg.days, Currency: cfg.currency, DryRun: cfg.dryRun}

	domains, err := expiring(ctx, client, cfg, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "renew:", err)
		return exitUsage
	}
	if len(domains) == 0 {
		fmt.Fprintf(stderr, "renew: no domain expires within %d days\n", cfg.days)
		printReport(stdout, cfg.asJSON, &rep)
		return exitOK
	}

	// The quote, before anything is ordered.
	prices, err := quote(ctx, client, domains, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "renew: quoting the renewals:", err)
		return exitUsage
	}
	var order []alidomain.RenewDomain
	var cents int64 // the total in minor units: float prices do not add up exactly
	now := time.Now()
	for i, d := range domains {
		p := prices[i]
		r := result{Domain: d.DomainName, ExpirationDate: d.ExpirationDate, Years: cfg.years, Price: p.Price, Status: statusWouldRenew,
			Expired: d.ExpirationDate.Before(now)}
		switch {
		case p.Err != nil:
			// No usable price (missing, null or negative): neither totalled nor ordered.
			r.Price = 0
			r.Status, r.Reason = statusSkipped, demo.FirstNonEmpty(p.Reason, p.Err.Error())
		case p.Avail != alidomain.AvailOrderable:
			r.Status, r.Reason = statusSkipped, demo.FirstNonEmpty(p.Reason, "the service quotes no renewal ("+p.Avail.String()+")")
		case (p.Premium || d.Premium) && !cfg.premium:
			r.Status, r.Reason = statusSkipped, "premium name: add -premium to renew it at its premium price"
		default:
			rd := d.RenewDomain(cfg.years)
			rd.PermitPremium = p.Premium || d.Premium
			order = append(order, rd)
			cents += int64(math.Round(p.Price * 100))
		}
		rep.Results = append(rep.Results, r)
	}
	rep.Total = float64(cents) / 100
	printQuote(stderr, &rep, now)
	if len(order) == 0 {
		fmt.Fprintln(stderr, "renew: nothing can be renewed")
		printReport(stdout, cfg.asJSON, &rep)
		return exitFailed
	}
	if cfg.maxTotal > 0 && rep.Total > cfg.maxTotal {
		fmt.Fprintf(stderr, "renew: the total %.2f %s exceeds -max-total %.2f; nothing was ordered\n", rep.Total, cfg.currency, cfg.maxTotal)
		return exitUsage
	}
	req := &alidomain.BatchRenewRequest{Domains: order}
	if err := req.Validate(); err != nil {
		fmt.Fprintln(stderr, "renew:", err)
		return exitUsage
	}
	if cfg.dryRun {
		if cfg.live {
			fmt.Fprintln(stderr, "renew: quote only; add -yes to place this paid order")
		}
		printReport(stdout, cfg.asJSON, &rep)
		return exitOK
	}

	names := make([]string, len(order))
	for i, d := range order {
		names[i] = d.DomainName
	}
	fmt.Fprintf(stderr, "renew: submitting %d domain(s) in one batch for %d year(s), %.2f %s\n", len(order), cfg.years, rep.Total, cfg.currency)
	sub, err := client.Renew.SubmitBatch(ctx, req)
	var unknown *alidomain.OutcomeUnknownError
	switch {
	case errors.As(err, &unknown):
		fmt.Fprintln(stderr, "renew:", err)
		return reconcile(ctx, client, unknown, names, stderr)
	case err != nil:
		fmt.Fprintln(stderr, "renew: the order was not placed:", err)
		return exitUsage
	}
	rep.TaskNo = sub.TaskNo
	fmt.Fprintf(stderr, "renew: task %s created (RequestId %s)\n", sub.TaskNo, sub.RequestID)

	task, err := client.Tasks.Wait(ctx, sub.TaskNo, &alidomain.WaitOptions{PollInterval: cfg.poll, Progress: progress(stderr)})
	if demo.IsTerminal(stderr) {
		fmt.Fprintln(stderr)
	}
	if err != nil {
		fmt.Fprintf(stderr, "renew: the order was placed (task %s) but following it failed: %v\n", sub.TaskNo, err)
		return exitUnknown
	}
	row := map[string]int{}
	for i, r := range rep.Results {
		row[demo.NameKey(r.Domain)] = i
	}
	for _, d := range task.Details {
		i, ok := row[demo.NameKey(d.DomainName)]
		if !ok { // a detail for a name not ordered: show it too
			i = len(rep.Results)
			rep.Results = append(rep.Results, result{Domain: d.DomainName})
		}
		r := &rep.Results[i]
		r.Status = d.Status.String()
		switch d.Status {
		case alidomain.TaskFailed:
			r.Reason = demo.FirstNonEmpty(d.FailReason, d.ErrorMsg, d.TaskResult)
		case alidomain.TaskSucceeded:
			// The new expiration date, as the service now reports it.
			if info, err := client.Domains.Get(ctx, &alidomain.GetDomainRequest{DomainName: d.DomainName}); err == nil {
				r.NewExpiration = &info.ExpirationDate
			} else {
				fmt.Fprintf(stderr, "renew: %s renewed, but reading its new expiration date failed: %v\n", d.DomainName, err)
			}
		}
	}
	printReport(stdout, cfg.asJSON, &rep)
	if rep.Counts.Succeeded == len(rep.Results) {
		return exitOK
	}
	return exitFailed
}

// expiring returns the domains that expire within cfg.days, soonest first,
// and so also every domain that has already expired: those still in the
// service's grace period can be renewed, and the quote marks them as
// expired. Domains in their redemption period can only be redeemed, and those whose
// auto-renewal is on renew themselves (unless -with-auto-renew): they are
// named on stderr and left out.
func expiring(ctx context.Context, c *alidomain.Client, cfg *config, stderr io.Writer) ([]alidomain.Domain, error) {
	days := cfg.days
	req := &alidomain.ListDomainsRequest{
		EndExpirationDate: time.Now().AddDate(0, 0, days),
		OrderKeyType:      "ExpirationDate", OrderByType: "ASC",
		PageSize: 100,
	}
	var out []alidomain.Domain
	for d, err := range c.Domains.ListIter(ctx, req) {
		if err != nil {
			return nil, fmt.Errorf("listing the domains that expire within %d days: %w", days, err)
		}
		if d.DomainStatus == alidomain.DomainNeedsRedemption {
			fmt.Fprintf(stderr, "renew: %s is in its redemption period and cannot be renewed (see examples/redeem)\n", d.DomainName)
			continue
		}
		if d.AutoRenew && !cfg.withAutoRenew {
			fmt.Fprintf(stderr, "renew: %s renews itself (auto-renewal is on); -with-auto-renew renews it now\n", d.DomainName)
			continue
		}
		out = append(out, d)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ExpirationDate.Before(out[j].ExpirationDate) })
	return out, nil
}

// quote prices the renewal of each domain, in the order given.
func quote(ctx context.Context, c *alidomain.Client, domains []alidomain.Domain, cfg *config) ([]alidomain.DomainPrice, error) {
	var out []alidomain.DomainPrice
	for start := 0; start < len(domains); start += priceBatch {
		req := &alidomain.PriceRequest{Currency: cfg.currency}
		for _, d := range domains[start:min(start+priceBatch, len(domains))] {
			req.Items = append(req.Items, alidomain.PriceItem{Action: alidomain.PriceRenew, DomainName: d.DomainName, Years: cfg.years})
		}
		res, err := c.Domains.Price(ctx, req)
		if err != nil {
			return nil, err
		}
		out = append(out, res.Prices...)
	}
	return out, nil
}

// printQuote shows each domain's price and the total on stderr, before
// anything is ordered. The domains that have already expired (still
// renewable) are marked, and counted apart from those that expire within
// the window.
func printQuote(w io.Writer, rep *report, now time.Time) {
	expired := 0
	for _, r := range rep.Results {
		if r.Expired {
			expired++
		}
	}
	fmt.Fprintf(w, "renew: quote for the domains that expire within %d days", rep.Days)
	if expired > 0 {
		fmt.Fprintf(w, ", and %d that already expired but can still be renewed", expired)
	}
	fmt.Fprintln(w, ":")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range rep.Results {
		line := fmt.Sprintf("  %s\t%s\t%d y\t%s", r.Domain, r.ExpirationDate.UTC().Format("2006-01-02"), r.Years, money(r.Price, rep.Currency))
		if r.Expired {
			line += "\t" + expiredAgo(now.Sub(r.ExpirationDate))
		}
		if r.Status == statusSkipped {
			line += "\tskipped: " + r.Reason
		}
		fmt.Fprintln(tw, line)
	}
	tw.Flush()
	fmt.Fprintf(w, "  total %s\n", money(rep.Total, rep.Currency))
}

// expiredAgo says how long ago a domain expired, in whole days.
func expiredAgo(d time.Duration) string {
	switch days := int(d.Hours() / 24); days {
	case 0:
		return "expired today"
	case 1:
		return "expired 1 day ago"
	default:
		return fmt.Sprintf("expired %d days ago", days)
	}
}

// progress returns the Progress callback of Wait: on a terminal, one line
// redrawn in place; elsewhere a line per change.
func progress(stderr io.Writer) func(alidomain.TaskCounts) {
	var last alidomain.TaskCounts
	tty := demo.IsTerminal(stderr)
	return func(c alidomain.TaskCounts) {
		line := fmt.Sprintf("  %d waiting, %d executing, %d succeeded, %d failed", c.Waiting, c.Executing, c.Succeeded, c.Failed)
		switch {
		case tty:
			fmt.Fprint(stderr, "\r"+line+"   ")
		case c != last:
			fmt.Fprintln(stderr, line)
		}
		last = c
	}
}

// reconcile reports, after an unknown outcome, which domains the service
// shows a renewal for, so that the user orders only the others.
func reconcile(ctx context.Context, c *alidomain.Client, unknown *alidomain.OutcomeUnknownError, names []string, stderr io.Writer) int {
	found, err := c.Renew.Reconcile(ctx, unknown.SentAt.Add(-5*time.Minute), names)
	if err != nil {
		fmt.Fprintln(stderr, "renew: could not reconcile; check the task list before ordering again:", err)
		return exitUnknown
	}
	sort.Strings(names)
	for _, n := range names {
		if d := found[n]; d != nil {
			fmt.Fprintf(stderr, "  %s: order placed (task %s, %s)\n", n, d.TaskNo, d.Status)
		} else {
			fmt.Fprintf(stderr, "  %s: no order found; safe to order again\n", n)
		}
	}
	return exitUnknown
}

func money(v float64, currency string) string { return fmt.Sprintf("%.2f %s", v, currency) }

// printReport prints the table (or JSON) and fills rep.Counts.
func printReport(w io.Writer, asJSON bool, rep *report) {
	for _, r := range rep.Results {
		switch r.Status {
		case alidomain.TaskSucceeded.String():
			rep.Counts.Succeeded++
		case alidomain.TaskFailed.String():
			rep.Counts.Failed++
		default:
			rep.Counts.Other++
		}
	}
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(rep)
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DOMAIN\tEXPIRES\tYEARS\tPRICE\tSTATUS\tNEW EXPIRY\tREASON")
	for _, r := range rep.Results {
		newExp := "-"
		if r.NewExpiration != nil {
			newExp = r.NewExpiration.UTC().Format("2006-01-02")
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\n", r.Domain, r.ExpirationDate.UTC().Format("2006-01-02"), r.Years,
			money(r.Price, rep.Currency), r.Status, newExp, r.Reason)
	}
	tw.Flush()
	fmt.Fprintf(w, "total %s; %d succeeded, %d failed, %d other\n", money(rep.Total, rep.Currency), rep.Counts.Succeeded, rep.Counts.Failed, rep.Counts.Other)
}
