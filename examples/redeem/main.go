// Command redeem redeems expired domain names in one batch with the
// alidomain SDK: it finds the domains, checks their exact expiration dates,
// submits one SaveBatchTaskForCreatingOrderRedeem task, follows it to the
// end and prints a result table.
//
// Without flags it runs against the built-in simulator (alidomaintest),
// seeded with a few domains: no account, no network, no cost.
//
//	go run ./examples/redeem                         # the demo, on the simulator
//	go run ./examples/redeem -dry-run                # show what would be submitted
//	go run ./examples/redeem -domains a.com,b.net    # choose domains
//	go run ./examples/redeem -live -domains a.com    # preview on your account
//	go run ./examples/redeem -live -yes -file l.txt  # really submit (costs money)
//
// The exit status is 0 when every domain was redeemed, 1 when some failed,
// 2 for bad usage or an error before anything was submitted, and 3 when the
// order's outcome could not be established.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/alidomaintest"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailed  = 1
	exitUsage   = 2
	exitUnknown = 3
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, seedDemo)
	stop()
	os.Exit(code)
}

// config is what the flags say.
type config struct {
	live, yes, dryRun, asJSON bool
	domains                   []string
	timeout                   time.Duration
	poll                      time.Duration
	simDelay                  time.Duration
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("redeem", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	var list, file string
	fs.BoolVar(&cfg.live, "live", false, "use the real Domain API with DefaultCredentials (environment, ~/.alibabacloud/credentials, ~/.aliyun/config.json)")
	fs.BoolVar(&cfg.yes, "yes", false, "with -live: really submit the paid order (without it, -live only previews)")
	fs.StringVar(&list, "domains", "", "comma-separated domains to redeem (default: every domain in its redemption period)")
	fs.StringVar(&file, "file", "", "file with one domain per line (# starts a comment)")
	fs.BoolVar(&cfg.dryRun, "dry-run", false, "show what would be submitted, and submit nothing")
	fs.BoolVar(&cfg.asJSON, "json", false, "print the result as JSON")
	fs.DurationVar(&cfg.timeout, "timeout", 30*time.Minute, "give up waiting for the task after this long")
	fs.DurationVar(&cfg.simDelay, "sim-delay", 1500*time.Millisecond, "simulator only: how long the simulated service takes to redeem a domain")
	fs.DurationVar(&cfg.poll, "poll", 0, "first pause between polls of the task (default: 2s live, 200ms on the simulator)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: redeem [-live [-yes]] [-domains a.com,b.net] [-file list.txt] [-dry-run] [-json]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, errReported{err} // the flag package has printed it, with the usage
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return nil, fmt.Errorf("unexpected argument %q (domains go in -domains or -file)", fs.Arg(0))
	}
	if cfg.yes && !cfg.live {
		return nil, errors.New("-yes only makes sense with -live")
	}
	if cfg.timeout <= 0 {
		return nil, errors.New("-timeout must be positive")
	}
	for _, d := range strings.Split(list, ",") {
		if d = strings.TrimSpace(d); d != "" {
			cfg.domains = append(cfg.domains, d)
		}
	}
	if file != "" {
		names, err := readDomainFile(file)
		if err != nil {
			return nil, err
		}
		cfg.domains = append(cfg.domains, names...)
	}
	if list != "" && len(cfg.domains) == 0 {
		return nil, errors.New("-domains is empty")
	}
	if cfg.live && !cfg.yes {
		cfg.dryRun = true
	}
	return &cfg, nil
}

// errReported is an error already shown to the user.
type errReported struct{ error }

// readDomainFile reads one domain per line; blank lines and # comments are
// skipped.
func readDomainFile(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("-file: %w", err)
	}
	defer f.Close()
	var names []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if line = strings.TrimSpace(line); line != "" {
			names = append(names, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("-file %s: %w", path, err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("-file %s holds no domain", path)
	}
	return names, nil
}

// seedDemo fills the simulator with the demo's domains: three in their
// redemption period, two that are not.
func seedDemo(s *alidomaintest.Server) {
	now := time.Now()
	expired := func(days int) time.Time { return now.AddDate(0, 0, -days).Truncate(time.Millisecond) }
	s.AddDomain("acme-shop.com", expired(40))
	s.AddDomain("acme-blog.net", expired(35), alidomaintest.Remark("team blog"))
	s.AddDomain("例子-acme.cn", expired(45))
	s.AddDomain("acme.io", now.AddDate(0, 8, 0), alidomaintest.Normal())
	s.AddDomain("acme-old.org", expired(5), alidomaintest.NeedsRenewal())
}

// result is one domain's line of the report.
type result struct {
	Domain         string    `json:"domain"`
	ExpirationDate time.Time `json:"expirationDate"`
	Status         string    `json:"status"`
	Reason         string    `json:"reason,omitempty"`
}

// report is what -json prints.
type report struct {
	Mode    string   `json:"mode"`
	TaskNo  string   `json:"taskNo,omitempty"`
	DryRun  bool     `json:"dryRun"`
	Results []result `json:"results"`
	Counts  struct {
		Succeeded int `json:"succeeded"`
		Failed    int `json:"failed"`
		Other     int `json:"other"`
	} `json:"counts"`
}

// run is the whole program; seed fills the simulator when not -live.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, seed func(*alidomaintest.Server)) int {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		if !errors.As(err, new(errReported)) {
			fmt.Fprintln(stderr, "redeem:", err)
		}
		return exitUsage
	}
	opts := alidomain.Options{Credentials: alidomain.DefaultCredentials()}
	mode := "live"
	if !cfg.live {
		mode = "simulator"
		sim := alidomaintest.NewServer(alidomaintest.WithTaskDuration(cfg.simDelay))
		defer sim.Close()
		seed(sim)
		opts.Endpoint = sim.URL
		opts.Credentials = alidomain.StaticCredentials(sim.AccessKeyID, sim.AccessKeySecret)
		if cfg.poll == 0 {
			cfg.poll = 200 * time.Millisecond
		}
		fmt.Fprintf(stderr, "redeem: using the built-in simulator at %s (no account, no cost; -live for the real API)\n", sim.URL)
	}
	client, err := alidomain.New(opts)
	if err != nil {
		fmt.Fprintln(stderr, "redeem:", err)
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()

	domains, skipped, err := selectDomains(ctx, client, cfg.domains)
	if err != nil {
		fmt.Fprintln(stderr, "redeem:", err)
		return exitUsage
	}
	rep := report{Mode: mode, DryRun: cfg.dryRun, Results: skipped}
	if len(domains) == 0 {
		fmt.Fprintln(stderr, "redeem: no domain to redeem")
		printReport(stdout, cfg.asJSON, &rep)
		if len(skipped) > 0 {
			return exitFailed
		}
		return exitOK
	}
	req := &alidomain.BatchRedeemRequest{Domains: domains}
	if err := req.Validate(); err != nil {
		fmt.Fprintln(stderr, "redeem:", err)
		return exitUsage
	}
	if cfg.dryRun {
		for _, d := range domains {
			rep.Results = append(rep.Results, result{Domain: d.DomainName, ExpirationDate: d.CurrentExpirationDate, Status: "would submit"})
		}
		if cfg.live && !cfg.yes {
			fmt.Fprintln(stderr, "redeem: preview only; add -yes to submit this paid order")
		}
		printReport(stdout, cfg.asJSON, &rep)
		return exitOK
	}

	names := make([]string, len(domains))
	for i, d := range domains {
		names[i] = d.DomainName
	}
	fmt.Fprintf(stderr, "redeem: submitting %d domain(s) in one batch: %s\n", len(domains), strings.Join(names, ", "))
	sub, err := client.Redeem.SubmitBatch(ctx, req)
	var unknown *alidomain.OutcomeUnknownError
	switch {
	case errors.As(err, &unknown):
		fmt.Fprintln(stderr, "redeem:", err)
		return reconcile(ctx, client, unknown, names, stderr)
	case err != nil:
		fmt.Fprintln(stderr, "redeem: the order was not placed:", err)
		return exitUsage
	}
	rep.TaskNo = sub.TaskNo
	fmt.Fprintf(stderr, "redeem: task %s created (RequestId %s)\n", sub.TaskNo, sub.RequestID)

	var last alidomain.TaskCounts
	tty := isTerminal(stderr)
	task, err := client.Tasks.Wait(ctx, sub.TaskNo, &alidomain.WaitOptions{
		PollInterval: cfg.poll,
		Progress: func(c alidomain.TaskCounts) {
			line := fmt.Sprintf("  %d waiting, %d executing, %d succeeded, %d failed", c.Waiting, c.Executing, c.Succeeded, c.Failed)
			switch {
			case tty:
				fmt.Fprint(stderr, "\r"+line+"   ")
			case c != last:
				fmt.Fprintln(stderr, line)
			}
			last = c
		},
	})
	if tty {
		fmt.Fprintln(stderr)
	}
	if err != nil {
		fmt.Fprintf(stderr, "redeem: the order was placed (task %s) but following it failed: %v\n", sub.TaskNo, err)
		return exitUnknown
	}
	expires := map[string]time.Time{}
	for _, d := range domains {
		expires[strings.ToLower(d.DomainName)] = d.CurrentExpirationDate
	}
	for _, d := range task.Details {
		r := result{Domain: d.DomainName, ExpirationDate: expires[strings.ToLower(d.DomainName)], Status: d.Status.String()}
		if d.Status == alidomain.TaskFailed {
			r.Reason = firstNonEmpty(d.FailReason, d.ErrorMsg, d.TaskResult)
		}
		rep.Results = append(rep.Results, r)
	}
	printReport(stdout, cfg.asJSON, &rep)
	if rep.Counts.Succeeded == len(rep.Results) {
		return exitOK
	}
	return exitFailed
}

// selectDomains returns the domains to submit with their exact expiration
// dates from QueryDomainList: every domain in its redemption period when
// names is empty, else the named ones. Named domains that are not in their
// redemption period are returned as skipped results; unknown ones are an
// error, and nothing is submitted.
func selectDomains(ctx context.Context, c *alidomain.Client, names []string) ([]alidomain.RedeemDomain, []result, error) {
	var out []alidomain.RedeemDomain
	if len(names) == 0 {
		req := &alidomain.ListDomainsRequest{QueryType: alidomain.QueryNeedsRedemption, PageSize: 100}
		for d, err := range c.Domains.ListIter(ctx, req) {
			if err != nil {
				return nil, nil, fmt.Errorf("listing domains in redemption: %w", err)
			}
			out = append(out, d.RedeemDomain())
		}
		return out, nil, nil
	}
	var skipped []result
	var missing []string
	for _, name := range names {
		d, err := findDomain(ctx, c, name)
		switch {
		case err != nil:
			return nil, nil, err
		case d == nil:
			missing = append(missing, name)
		case d.DomainStatus != alidomain.DomainNeedsRedemption:
			skipped = append(skipped, result{Domain: d.DomainName, ExpirationDate: d.ExpirationDate, Status: "skipped",
				Reason: "not in its redemption period (" + d.DomainStatus.String() + ")"})
		default:
			out = append(out, d.RedeemDomain())
		}
	}
	if len(missing) > 0 {
		return nil, nil, fmt.Errorf("not found in the account: %s", strings.Join(missing, ", "))
	}
	return out, skipped, nil
}

// findDomain looks one domain up by exact name, or returns nil.
func findDomain(ctx context.Context, c *alidomain.Client, name string) (*alidomain.Domain, error) {
	for d, err := range c.Domains.ListIter(ctx, &alidomain.ListDomainsRequest{DomainName: name}) {
		if err != nil {
			return nil, fmt.Errorf("looking up %s: %w", name, err)
		}
		if strings.EqualFold(d.DomainName, name) {
			return &d, nil
		}
	}
	return nil, nil
}

// reconcile reports, after an unknown outcome, which domains the service
// shows an order for, so that the user submits only the others.
func reconcile(ctx context.Context, c *alidomain.Client, unknown *alidomain.OutcomeUnknownError, names []string, stderr io.Writer) int {
	found, err := c.Redeem.Reconcile(ctx, unknown.SentAt.Add(-5*time.Minute), names)
	if err != nil {
		fmt.Fprintln(stderr, "redeem: could not reconcile; check the task list before submitting again:", err)
		return exitUnknown
	}
	sort.Strings(names)
	for _, n := range names {
		if d := found[n]; d != nil {
			fmt.Fprintf(stderr, "  %s: order placed (task %s, %s)\n", n, d.TaskNo, d.Status)
		} else {
			fmt.Fprintf(stderr, "  %s: no order found; safe to submit again\n", n)
		}
	}
	return exitUnknown
}

// isTerminal reports whether w is a terminal, where the progress line is
// redrawn in place; elsewhere each change gets a line of its own.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

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
	fmt.Fprintln(tw, "DOMAIN\tEXPIRED\tSTATUS\tREASON")
	for _, r := range rep.Results {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Domain, r.ExpirationDate.UTC().Format("2006-01-02 15:04:05"), r.Status, r.Reason)
	}
	tw.Flush()
	fmt.Fprintf(w, "%d succeeded, %d failed, %d other\n", rep.Counts.Succeeded, rep.Counts.Failed, rep.Counts.Other)
}
