// Command redeem redeems expired domain names in one batch with the
// alidomain SDK: it finds the domains, checks their exact expiration dates,
// submits one SaveBatchTaskForCreatingOrderRedeem task, follows it to the
// end and prints a result table.
//
// Without -live it runs against the built-in simulator (alidomaintest),
// seeded with a few domains: no account, no network, no cost. There, giving
// no selection means -all.
//
//	go run ./examples/redeem                         # the demo, on the simulator
//	go run ./examples/redeem -dry-run                # show what would be submitted
//	go run ./examples/redeem -domains a.com,b.net    # choose domains
//	go run ./examples/redeem -live -domains a.com    # preview on your account
//	go run ./examples/redeem -live -yes -file l.txt  # really submit (costs money)
//	go run ./examples/redeem -live -all              # preview every domain in redemption
//	go run ./examples/redeem -live -task T12345      # follow a task already submitted
//
// redeem -help lists the exit statuses (0 all redeemed, 1 some failed or
// skipped, 2 usage or error with nothing ordered, 3 outcome unknown, 4
// nothing submitted); README.md holds the same table, and a test keeps them
// identical.
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
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"
	"unicode/utf8"

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
	exitNothing = 4
)

// exitStatuses is the exit-status table, printed by -help and copied
// verbatim into README.md.
var exitStatuses = []struct {
	code    int
	meaning string
}{
	{exitOK, "an order was placed and every selected domain was redeemed"},
	{exitFailed, "an order was placed and some domains failed, or some named domains were skipped (the table says which)"},
	{exitUsage, "bad usage, or an error before any order was placed (a name not in the account, a failed lookup, an order the service refused): nothing was ordered"},
	{exitUnknown, "outcome unknown: an order may have been placed, or was placed and not followed to the end; the report gives the task numbers and what Reconcile found; resume with -task"},
	{exitNothing, "nothing was submitted: no domain in its redemption period, every named domain skipped, -dry-run, or -live without -yes"},
}

// reconcileTimeout bounds the reconciliation after an unknown outcome,
// which must run even when -timeout has just ended.
const reconcileTimeout = 2 * time.Minute

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, seedDemo)
	stop()
	os.Exit(code)
}

// config is what the flags say.
type config struct {
	live, yes, dryRun, asJSON, all bool
	domains                        []string
	taskNo                         string
	endpoint                       string
	timeout                        time.Duration
	poll                           time.Duration
	simDelay                       time.Duration
}

// errReported is an error already shown to the user.
type errReported struct{ error }

// Unwrap returns the error shown, so that flag.ErrHelp is recognised.
func (e errReported) Unwrap() error { return e.error }

// badInput lists every bad name of a selection, one line each.
type badInput []string

func (b badInput) Error() string { return strings.Join(b, "\nredeem: ") }

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("redeem", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	var list, file string
	fs.BoolVar(&cfg.live, "live", false, demo.LiveHelp)
	fs.BoolVar(&cfg.yes, "yes", false, "with -live: really submit the paid order (without it, -live only previews)")
	fs.StringVar(&list, "domains", "", "comma-separated domains to redeem")
	fs.StringVar(&file, "file", "", "file with one domain per line (# starts a comment)")
	fs.BoolVar(&cfg.all, "all", false, "redeem every domain in its redemption period (implied on the simulator when nothing is selected)")
	fs.StringVar(&cfg.taskNo, "task", "", "with -live: submit nothing, follow this task number to the end (after exit 3)")
	fs.BoolVar(&cfg.dryRun, "dry-run", false, "show what would be submitted, and submit nothing")
	fs.BoolVar(&cfg.asJSON, "json", false, "print the result as JSON")
	fs.StringVar(&cfg.endpoint, "endpoint", "", "with -live: the API endpoint (default "+alidomain.DefaultEndpoint+")")
	fs.DurationVar(&cfg.timeout, "timeout", 30*time.Minute, "bound on the whole run: lookups, the order and waiting for its task; if it ends while waiting, the order stands (exit 3; -task resumes). Reconciling an unknown outcome gets up to "+reconcileTimeout.String()+" more")
	fs.DurationVar(&cfg.simDelay, "sim-delay", 1500*time.Millisecond, "simulator only: how long the simulated service takes to redeem a domain")
	fs.DurationVar(&cfg.poll, "poll", 0, "first pause between polls of the task (default: 2s live, 200ms on the simulator)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: redeem [-live [-yes]] (-domains a.com,b.net | -file list.txt | -all | -task TASKNO) [-dry-run] [-json]")
		fs.PrintDefaults()
		fmt.Fprintln(stderr, "exit status:")
		for _, s := range exitStatuses {
			fmt.Fprintf(stderr, "  %d  %s\n", s.code, s.meaning)
		}
	}
	if err := fs.Parse(args); err != nil {
		return nil, errReported{err} // the flag package has printed it, with the usage
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case fs.NArg() > 0:
		fs.Usage()
		return nil, fmt.Errorf("unexpected argument %q (domains go in -domains or -file)", fs.Arg(0))
	case cfg.timeout <= 0:
		return nil, errors.New("-timeout must be positive")
	case cfg.poll < 0:
		return nil, errors.New("-poll must not be negative")
	case cfg.simDelay < 0:
		return nil, errors.New("-sim-delay must not be negative")
	case cfg.yes && !cfg.live:
		return nil, errors.New("-yes only makes sense with -live")
	case cfg.yes && cfg.dryRun:
		return nil, errors.New("-dry-run and -yes contradict each other: drop -yes to preview, or -dry-run to order")
	case set["sim-delay"] && cfg.live:
		return nil, errors.New("-sim-delay is for the simulator only (not with -live)")
	case set["endpoint"] && !cfg.live:
		return nil, errors.New("-endpoint needs -live")
	}
	selected := 0
	for _, name := range []string{"domains", "file", "all", "task"} {
		if set[name] {
			selected++
		}
	}
	if selected > 1 {
		return nil, errors.New("choose one of -domains, -file, -all and -task")
	}
	switch {
	case set["task"]:
		cfg.taskNo = strings.TrimSpace(cfg.taskNo)
		switch {
		case cfg.taskNo == "":
			return nil, errors.New("-task is empty: give the task number that an earlier run printed")
		case !cfg.live:
			return nil, errors.New("-task needs -live: the built-in simulator starts empty at every run")
		case cfg.dryRun:
			return nil, errors.New("-task submits nothing; -dry-run does not apply")
		}
		return &cfg, nil
	case set["domains"]:
		var items []item
		for i, d := range strings.Split(list, ",") {
			if d = strings.TrimSpace(d); d != "" {
				items = append(items, item{i + 1, d})
			}
		}
		if len(items) == 0 {
			return nil, errors.New("-domains is empty: name the domains, or give -all to redeem every domain in its redemption period")
		}
		names, err := checkNames("-domains", "item", items)
		if err != nil {
			return nil, err
		}
		cfg.domains = names
	case set["file"]:
		if strings.TrimSpace(file) == "" {
			return nil, errors.New("-file is empty: give a file name, or -all to redeem every domain in its redemption period")
		}
		names, err := readDomainFile(file)
		if err != nil {
			return nil, err
		}
		cfg.domains = names
	case set["all"]:
		if !cfg.all {
			return nil, errors.New("-all=false selects nothing: name the domains with -domains or -file")
		}
	case cfg.live:
		return nil, errors.New("choose the domains: -domains, -file, or -all for every domain in its redemption period")
	default:
		cfg.all = true // the demo, on the simulator: nothing can be spent
	}
	if cfg.live && !cfg.yes {
		cfg.dryRun = true
	}
	return &cfg, nil
}

// item is one name of a selection and where it came from (a line of the
// file, or a position in -domains).
type item struct {
	pos  int
	name string
}

// maxReported is how many bad names checkNames reports one by one.
const maxReported = 20

// checkNames validates every name locally and reports each bad or repeated
// one by its position, never by its text (it may come from any file).
func checkNames(where, unit string, items []item) ([]string, error) {
	var bad badInput
	first := map[string]int{}
	names := make([]string, 0, len(items))
	for _, it := range items {
		if reason := nameProblem(it.name); reason != "" {
			bad = append(bad, fmt.Sprintf("%s: %s %d: %s", where, unit, it.pos, reason))
			continue
		}
		key := strings.ToLower(it.name)
		if p, dup := first[key]; dup {
			bad = append(bad, fmt.Sprintf("%s: %s %d: repeats %s %d", where, unit, it.pos, unit, p))
			continue
		}
		first[key] = it.pos
		names = append(names, it.name)
	}
	if n := len(bad); n > 0 {
		if n > maxReported {
			bad = append(bad[:maxReported], fmt.Sprintf("%s: ... and %d more", where, n-maxReported))
		}
		bad = append(bad, fmt.Sprintf("%d bad name(s); nothing was looked up or submitted", n))
		return nil, bad
	}
	return names, nil
}

// nameProblem says why name is not a domain name, in words that quote none
// of it, or returns "". The SDK's own validation has the last word.
func nameProblem(name string) string {
	switch {
	case !utf8.ValidString(name):
		return "is not valid UTF-8"
	case len(name) > 253:
		return fmt.Sprintf("is %d bytes long; the limit is 253", len(name))
	}
	labels := strings.Split(name, ".")
	for _, l := range labels {
		switch {
		case l == "":
			return "has an empty label (two dots in a row, or a dot at an end)"
		case len(l) > 63:
			return "has a label longer than 63 bytes"
		}
		for i, c := range l {
			switch {
			case unicode.IsSpace(c):
				return "contains white space"
			case c == '-' && (i == 0 || i == len(l)-1):
				return "has a label that starts or ends with a hyphen"
			case c < utf8.RuneSelf && !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-'),
				c >= utf8.RuneSelf && !(unicode.IsLetter(c) || unicode.IsDigit(c) || unicode.IsMark(c)):
				return "contains a character that a domain name cannot hold"
			}
		}
	}
	if len(labels) < 2 {
		return "has no top-level domain (no dot)"
	}
	probe := alidomain.RedeemRequest{DomainName: name, CurrentExpirationDate: time.Now()}
	if probe.Validate() != nil {
		return "is not a valid domain name"
	}
	return ""
}

// maxLine is the longest line readDomainFile accepts.
const maxLine = 4096

// readDomainFile reads one domain per line; blank lines and # comments are
// skipped, CRLF line ends and a UTF-8 byte order mark are accepted.
func readDomainFile(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("-file: %w", err)
	}
	defer f.Close()
	var items []item
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, maxLine), maxLine)
	n := 0
	for sc.Scan() {
		n++
		text := sc.Text()
		if n == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		line, _, _ := strings.Cut(text, "#")
		if line = strings.TrimSpace(line); line != "" {
			items = append(items, item{n, line})
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("-file %s: line %d is longer than %d bytes; nothing was looked up or submitted", path, n+1, maxLine)
		}
		return nil, fmt.Errorf("-file %s: %w", path, err)
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("-file %s holds no domain", path)
	}
	return checkNames("-file "+path, "line", items)
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

// Statuses of a result besides the task's own (succeeded, failed, waiting,
// executing).
const (
	statusSkipped     = "skipped"
	statusWouldSubmit = "would submit"
	statusNoOrder     = "no order found"
)

// result is one domain's line of the report.
type result struct {
	Domain         string     `json:"domain"`
	ExpirationDate *time.Time `json:"expirationDate,omitempty"`
	Status         string     `json:"status"`
	TaskNo         string     `json:"taskNo,omitempty"`
	Reason         string     `json:"reason,omitempty"`
}

// report is what -json prints.
type report struct {
	Mode       string   `json:"mode"`
	DryRun     bool     `json:"dryRun"`
	TaskNo     string   `json:"taskNo,omitempty"`
	Reconciled bool     `json:"reconciled,omitempty"`
	ExitCode   int      `json:"exitCode"`
	Note       string   `json:"note,omitempty"`
	Results    []result `json:"results"`
	Counts     struct {
		Succeeded int `json:"succeeded"`
		Failed    int `json:"failed"`
		Other     int `json:"other"`
	} `json:"counts"`
}

// program is one run after the flags were parsed.
type program struct {
	cfg     *config
	client  *alidomain.Client
	base    context.Context // without -timeout: for reconciling
	stderr  io.Writer
	tty     bool
	rep     report
	expires map[string]time.Time // by lower-case name
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
	client, mode, stop, err := demo.Client(demo.Setup{Prog: "redeem", Live: cfg.live, Endpoint: cfg.endpoint, SimDelay: cfg.simDelay, Seed: seed}, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "redeem:", err)
		return exitUsage
	}
	defer stop()
	if mode == "simulator" && cfg.poll == 0 {
		cfg.poll = 200 * time.Millisecond
	}
	p := &program{cfg: cfg, client: client, base: ctx, stderr: stderr, tty: demo.IsTerminal(stderr),
		rep: report{Mode: mode, DryRun: cfg.dryRun, Results: []result{}}, expires: map[string]time.Time{}}
	tctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	code := p.main(tctx)
	if code != exitUsage {
		p.rep.ExitCode = code
		printReport(stdout, cfg.asJSON, &p.rep)
	}
	return code
}

// main does the work and returns the exit status; the report is printed
// after it, except for exitUsage.
func (p *program) main(ctx context.Context) int {
	if p.cfg.taskNo != "" {
		p.rep.TaskNo = p.cfg.taskNo
		return p.follow(ctx, []string{p.cfg.taskNo}, nil)
	}
	domains, skipped, err := p.selectDomains(ctx)
	if err != nil {
		fmt.Fprintln(p.stderr, "redeem:", err)
		return exitUsage
	}
	p.rep.Results = append(p.rep.Results, skipped...)
	if len(domains) == 0 {
		p.rep.Note = "nothing to redeem"
		fmt.Fprintln(p.stderr, "redeem: no domain to redeem; nothing was submitted")
		return exitNothing
	}
	req := &alidomain.BatchRedeemRequest{Domains: domains}
	if err := req.Validate(); err != nil {
		fmt.Fprintln(p.stderr, "redeem:", err)
		return exitUsage
	}
	names := make([]string, len(domains))
	for i, d := range domains {
		names[i] = d.DomainName
		p.expires[strings.ToLower(d.DomainName)] = d.CurrentExpirationDate
	}
	if p.cfg.dryRun {
		for _, d := range domains {
			p.rep.Results = append(p.rep.Results, p.row(d.DomainName, statusWouldSubmit, "", ""))
		}
		p.rep.Note = fmt.Sprintf("%d domain(s) would be ordered; nothing was submitted", len(domains))
		fmt.Fprintf(p.stderr, "redeem: %s\n", p.rep.Note)
		if p.cfg.live {
			fmt.Fprintln(p.stderr, "redeem: preview only; add -yes to submit this paid order")
		}
		return exitNothing
	}

	if p.cfg.live {
		fmt.Fprintf(p.stderr, "redeem: ordering the redemption of %d domain(s) in one batch on your account (this costs money): %s\n", len(domains), strings.Join(names, ", "))
	} else {
		fmt.Fprintf(p.stderr, "redeem: submitting %d domain(s) in one batch: %s\n", len(domains), strings.Join(names, ", "))
	}
	sub, err := p.client.Redeem.SubmitBatch(ctx, req)
	var unknown *alidomain.OutcomeUnknownError
	switch {
	case errors.As(err, &unknown):
		fmt.Fprintln(p.stderr, "redeem:", err)
		return p.reconcile(ctx, unknown, names)
	case err != nil:
		fmt.Fprintln(p.stderr, "redeem: the order was not placed:", err)
		return exitUsage
	}
	p.rep.TaskNo = sub.TaskNo
	fmt.Fprintf(p.stderr, "redeem: task %s created (RequestId %s)\n", sub.TaskNo, sub.RequestID)
	return p.follow(ctx, []string{sub.TaskNo}, names)
}

// row is a result for domain with its expiration date when known.
func (p *program) row(domain, status, taskNo, reason string) result {
	r := result{Domain: domain, Status: status, TaskNo: taskNo, Reason: reason}
	if t, ok := p.expires[strings.ToLower(domain)]; ok {
		r.ExpirationDate = &t
	}
	return r
}

// follow waits for each task to end and adds a row per detail; names, when
// given, are the domains ordered, shown as still in doubt if a wait ends
// early. It returns the exit status.
func (p *program) follow(ctx context.Context, taskNos, names []string) int {
	seen := map[string]bool{}
	var unfinished []string
	for _, no := range taskNos {
		task, err := p.wait(ctx, no)
		if task != nil {
			for _, d := range task.Details {
				if names != nil && !containsFold(names, d.DomainName) {
					continue // another order of the same task, found by Reconcile
				}
				r := p.row(d.DomainName, d.Status.String(), no, "")
				if d.Status == alidomain.TaskFailed {
					r.Reason = demo.FirstNonEmpty(d.FailReason, d.ErrorMsg, d.TaskResult)
				}
				seen[strings.ToLower(d.DomainName)] = true
				p.rep.Results = append(p.rep.Results, r)
			}
		}
		if err != nil {
			fmt.Fprintf(p.stderr, "redeem: task %s was not followed to the end: %v\n", no, err)
			unfinished = append(unfinished, no)
		}
	}
	for _, n := range names {
		if !seen[strings.ToLower(n)] {
			p.rep.Results = append(p.rep.Results, p.row(n, "ordered", strings.Join(taskNos, ","), "the task did not show this domain yet"))
		}
	}
	if len(unfinished) > 0 {
		p.rep.Note = "the order stands; follow it with -live -task " + strings.Join(unfinished, " and -task ")
		if !p.cfg.live {
			p.rep.Note = "the order stands, but the built-in simulator ends with this run"
		}
		fmt.Fprintln(p.stderr, "redeem:", p.rep.Note)
		return exitUnknown
	}
	return p.finalCode()
}

// finalCode is exitOK when every row succeeded, exitUnknown when one is
// still in doubt, else exitFailed.
func (p *program) finalCode() int {
	code := exitOK
	for _, r := range p.rep.Results {
		switch r.Status {
		case alidomain.TaskSucceeded.String():
		case alidomain.TaskFailed.String(), statusSkipped:
			if code == exitOK {
				code = exitFailed
			}
		default:
			code = exitUnknown
		}
	}
	return code
}

// wait follows one task with Tasks.Wait, showing progress.
func (p *program) wait(ctx context.Context, taskNo string) (*alidomain.TaskReport, error) {
	var last alidomain.TaskCounts
	task, err := p.client.Tasks.Wait(ctx, taskNo, &alidomain.WaitOptions{
		PollInterval: p.cfg.poll,
		Progress: func(c alidomain.TaskCounts) {
			if c != last || p.tty {
				p.progress(fmt.Sprintf("  %d waiting, %d executing, %d succeeded, %d failed", c.Waiting, c.Executing, c.Succeeded, c.Failed))
			}
			last = c
		},
	})
	p.progressDone()
	return task, err
}

// progress shows a progress line: redrawn in place on a terminal, else a
// line of its own.
func (p *program) progress(line string) {
	if p.tty {
		fmt.Fprint(p.stderr, "\r"+line+"   ")
		return
	}
	fmt.Fprintln(p.stderr, line)
}

func (p *program) progressDone() {
	if p.tty {
		fmt.Fprintln(p.stderr)
	}
}

// selectDomains returns the domains to submit with their exact expiration
// dates from QueryDomainList: every domain in its redemption period with
// -all, else the named ones. Named domains that are not in their
// redemption period are returned as skipped results; unknown ones are an
// error, and nothing is submitted.
func (p *program) selectDomains(ctx context.Context) ([]alidomain.RedeemDomain, []result, error) {
	inRedemption := map[string]alidomain.Domain{}
	fmt.Fprintln(p.stderr, "redeem: listing the domains in their redemption period (QueryDomainList)")
	req := &alidomain.ListDomainsRequest{QueryType: alidomain.QueryNeedsRedemption, PageSize: 100}
	var all []alidomain.RedeemDomain
	for d, err := range p.client.Domains.ListIter(ctx, req) {
		if err != nil {
			p.progressDone()
			return nil, nil, fmt.Errorf("listing domains in redemption: %w", err)
		}
		inRedemption[strings.ToLower(d.DomainName)] = d
		all = append(all, d.RedeemDomain())
		if len(all)%100 == 0 || p.tty {
			p.progress(fmt.Sprintf("  %d found", len(all)))
		}
	}
	p.progressDone()
	fmt.Fprintf(p.stderr, "redeem: %d domain(s) in their redemption period\n", len(all))
	if p.cfg.all {
		return all, nil, nil
	}

	var out []alidomain.RedeemDomain
	var rest []string
	for _, name := range p.cfg.domains {
		if d, ok := inRedemption[strings.ToLower(name)]; ok {
			out = append(out, d.RedeemDomain())
		} else {
			rest = append(rest, name)
		}
	}
	if len(rest) > 0 {
		fmt.Fprintf(p.stderr, "redeem: looking up the %d named domain(s) not in their redemption period\n", len(rest))
	}
	var skipped []result
	var missing []string
	step := max(1, len(rest)/10)
	for i, name := range rest {
		d, err := findDomain(ctx, p.client, name)
		switch {
		case err != nil:
			p.progressDone()
			return nil, nil, err
		case d == nil:
			missing = append(missing, name)
		case d.DomainStatus == alidomain.DomainNeedsRedemption:
			out = append(out, d.RedeemDomain()) // entered redemption since the listing
		default:
			exp := d.ExpirationDate
			skipped = append(skipped, result{Domain: d.DomainName, ExpirationDate: &exp, Status: statusSkipped,
				Reason: "not in its redemption period (" + d.DomainStatus.String() + ")"})
		}
		if n := i + 1; n%step == 0 || n == len(rest) || p.tty {
			p.progress(fmt.Sprintf("  looked up %d/%d", n, len(rest)))
		}
	}
	p.progressDone()
	if len(missing) > 0 {
		return nil, nil, fmt.Errorf("not found in the account: %s; nothing was submitted", strings.Join(missing, ", "))
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

// reconcile finds out, after an unknown outcome, which domains the service
// shows an order for, follows those orders to the end, and reports the
// others as not ordered, so that the user submits only them again.
func (p *program) reconcile(ctx context.Context, unknown *alidomain.OutcomeUnknownError, names []string) int {
	rctx, cancel := context.WithTimeout(p.base, reconcileTimeout)
	defer cancel()
	fmt.Fprintln(p.stderr, "redeem: reconciling: looking for the order in the task list (Reconcile)")
	found, err := p.client.Redeem.Reconcile(rctx, unknown.SentAt.Add(-5*time.Minute), names)
	p.rep.Reconciled = err == nil
	if err != nil {
		p.rep.Note = "could not reconcile; check the task list before submitting again: " + err.Error()
		fmt.Fprintln(p.stderr, "redeem:", p.rep.Note)
		for _, n := range names {
			p.rep.Results = append(p.rep.Results, p.row(n, "unknown", "", "the order may have been placed"))
		}
		return exitUnknown
	}
	sorted := append([]string(nil), names...)
	sort.Strings(sorted)
	var taskNos []string
	var followed []string
	var notFound int
	for _, n := range sorted {
		d := found[n]
		switch {
		case d == nil:
			notFound++
			fmt.Fprintf(p.stderr, "  %s: no order found; safe to submit again\n", n)
			p.rep.Results = append(p.rep.Results, p.row(n, statusNoOrder, "", "no redemption order since the submission: safe to submit again"))
		default:
			fmt.Fprintf(p.stderr, "  %s: order placed (task %s, %s)\n", n, d.TaskNo, d.Status)
			if !slices.Contains(taskNos, d.TaskNo) {
				taskNos = append(taskNos, d.TaskNo)
			}
			followed = append(followed, n)
		}
	}
	if len(taskNos) == 1 {
		p.rep.TaskNo = taskNos[0]
	}
	code := exitUnknown
	if len(taskNos) > 0 {
		fmt.Fprintf(p.stderr, "redeem: following the order found (task %s)\n", strings.Join(taskNos, ", "))
		code = p.follow(ctx, taskNos, followed)
	}
	if notFound > 0 {
		note := fmt.Sprintf("%d domain(s) have no order: submit them again if they still need redeeming", notFound)
		fmt.Fprintln(p.stderr, "redeem:", note)
		p.rep.Note = strings.TrimPrefix(p.rep.Note+"; "+note, "; ")
		return exitUnknown
	}
	return code
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
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
	// The TASK column only when rows belong to different tasks.
	perRow := false
	for _, r := range rep.Results {
		perRow = perRow || r.TaskNo != "" && r.TaskNo != rep.TaskNo
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if perRow {
		fmt.Fprintln(tw, "DOMAIN\tEXPIRED\tSTATUS\tTASK\tREASON")
	} else {
		fmt.Fprintln(tw, "DOMAIN\tEXPIRED\tSTATUS\tREASON")
	}
	for _, r := range rep.Results {
		exp := "-"
		if r.ExpirationDate != nil {
			exp = r.ExpirationDate.UTC().Format("2006-01-02 15:04:05")
		}
		if perRow {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Domain, exp, r.Status, demo.FirstNonEmpty(r.TaskNo, "-"), r.Reason)
		} else {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Domain, exp, r.Status, r.Reason)
		}
	}
	tw.Flush()
	if rep.TaskNo != "" {
		fmt.Fprintf(w, "task %s: ", rep.TaskNo)
	}
	fmt.Fprintf(w, "%d succeeded, %d failed, %d other\n", rep.Counts.Succeeded, rep.Counts.Failed, rep.Counts.Other)
}
