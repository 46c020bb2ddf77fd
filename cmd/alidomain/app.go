package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/alidomaintest"
	"github.com/alidomain/alidomain/internal/redact"
	"github.com/spf13/cobra"
)

// Exit codes: one table for every command (printed by --help and in README).
const (
	exitOK      = 0 // done, every domain succeeded
	exitFailed  = 1 // done, some domains failed
	exitUsage   = 2 // bad usage, or an error before anything was sent
	exitUnknown = 3 // outcome unknown: an order may have been placed
	exitNothing = 4 // nothing was submitted
)

// exitCodes is the table --help prints and README repeats (TestREADMEExitCodes).
var exitCodes = []struct {
	code    int
	meaning string
}{
	{exitOK, "done, and every domain succeeded"},
	{exitFailed, "done, and some domains failed (the report names them and why)"},
	{exitUsage, "bad usage, or an error before anything was sent: no order was placed"},
	{exitUnknown, "outcome unknown: an order may have been placed; the report says what Reconcile found and how to resume"},
	{exitNothing, "nothing was submitted: a plan shown without --yes, above --max-total, or nothing to do"},
}

// exitCodeHelp renders exitCodes for --help.
func exitCodeHelp() string {
	var b strings.Builder
	b.WriteString("\nExit codes:\n")
	for _, e := range exitCodes {
		fmt.Fprintf(&b, "  %d  %s\n", e.code, e.meaning)
	}
	return b.String()
}

// IntlEndpoint is the endpoint of international (alibabacloud.com) accounts.
const IntlEndpoint = "https://domain-intl.aliyuncs.com/"

// Environment variables read only with --simulate, for demos and the tests
// of the built binary: they change the built-in simulator, never a real call.
const (
	// envSimTaskDuration is how long a simulated task detail takes (a Go
	// duration; default simTaskDuration).
	envSimTaskDuration = "ALIDOMAIN_SIMULATE_TASK_DURATION"
	// envSimFault injects a fault: "ACTION=FAULT[,ACTION=FAULT...]" with
	// FAULT one of drop-after-commit, error-after-commit, throttle,
	// reset-before-commit, unavailable.
	envSimFault = "ALIDOMAIN_SIMULATE_FAULT"
	// envSimAccount selects the simulated account: "demo" (the default) or
	// "big" (20,000 domains, 5,000 expiring within 30 days).
	envSimAccount = "ALIDOMAIN_SIMULATE_ACCOUNT"
)

// simTaskDuration is how long a simulated task detail takes by default, so
// that the demo shows its progress.
const simTaskDuration = 1500 * time.Millisecond

// app is one run of the command: its streams, flags and client.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string

	// Global flags.
	simulate   bool
	profile    string
	endpoint   string
	intl       bool
	signature  string
	rate       float64
	output     string
	jsonOut    bool
	yes        bool
	timeout    time.Duration
	debug      bool
	currency   string
	noProgress bool

	// sim, when set before run (in-process tests), is the simulator
	// --simulate uses instead of a fresh demo account.
	sim *alidomaintest.Server
	// ownSim reports that sim was started here and must be closed.
	ownSim bool
	// tty forces the terminal detection (tests); nil: detect.
	tty *bool
	// columns forces the terminal's width (tests); 0: ask the terminal.
	columns int
	// poll overrides the task polling intervals (tests); zero: defaults.
	poll alidomain.WaitOptions

	client  *alidomain.Client
	cmdName string
	emitted bool
	// secrets are the values (secret parameters, transfer codes) that
	// errors and the --debug log never show.
	secrets redact.Set
}

// addSecrets adds values that errors and logs must never show.
func (a *app) addSecrets(vs ...string) { a.secrets.Add(vs...) }

// scrub removes the run's secrets from a text bound for an error or a log.
func (a *app) scrub(s string) string {
	if s == "" {
		return s
	}
	return a.secrets.Redact(s)
}

// scrubWriter scrubs what is written through it (the --debug log: one
// record per Write).
type scrubWriter struct{ a *app }

// Write writes p scrubbed; it reports len(p) written.
func (w scrubWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(w.a.stderr, w.a.scrub(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// exitError ends a command with an exit code; its message goes to stderr
// (or into the JSON document).
type exitError struct {
	code int
	err  error
}

// Error returns the message.
func (e *exitError) Error() string { return e.err.Error() }

// Unwrap returns the underlying error.
func (e *exitError) Unwrap() error { return e.err }

// usageErr is a usage error (exit 2).
func usageErr(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// run parses args, runs the command and returns the exit code.
func run(ctx context.Context, args []string, a *app) int {
	if a.getenv == nil {
		a.getenv = func(string) string { return "" }
	}
	if a.stdin == nil {
		a.stdin = strings.NewReader("")
	}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	defer a.close()
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	code := exitUsage
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
	}
	if code == exitOK {
		return code
	}
	jsonMode := a.output == "json" || a.jsonOut || jsonRequested(args)
	msg := a.scrub(err.Error())
	if !a.emitted && jsonMode {
		doc := map[string]any{"command": a.cmdName, "error": msg, "exit_code": code}
		if calls := a.apiCalls(); calls != nil {
			doc["api_calls"] = calls
		}
		a.writeJSON(doc)
	}
	if msg != "" {
		fmt.Fprintf(a.stderr, "alidomain: %s\n", msg)
	}
	if ee == nil && !jsonMode {
		fmt.Fprintln(a.stderr, "Run 'alidomain --help' for usage.")
	}
	return code
}

// jsonRequested scans raw arguments for --json or -o json, for errors that
// happen before the flags are parsed.
func jsonRequested(args []string) bool {
	for i, s := range args {
		switch {
		case s == "--":
			return false
		case s == "--json" || s == "--json=true" || s == "-ojson" || s == "--output=json" || s == "-o=json":
			return true
		case (s == "-o" || s == "--output") && i+1 < len(args) && args[i+1] == "json":
			return true
		}
	}
	return false
}

// close stops the simulator this run started.
func (a *app) close() {
	if a.ownSim && a.sim != nil {
		a.sim.Close()
	}
}

// rootCommand builds the command tree.
func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "alidomain",
		Short: "Manage a domain portfolio on the Alibaba Cloud Domain API (2018-01-29)",
		Long: `alidomain lists, prices, renews, redeems, transfers in and registers domains on the
Alibaba Cloud Domain API (2018-01-29), and follows the tasks that orders create;
sets name servers, locks and WHOIS privacy in bulk, hands out transfer codes, and
calls any of the API's actions by name (actions, call).

Every paid order is shown first (each price and the total) and placed only with
--yes, never above --max-total; its task is followed to the end. When an order's
answer is lost, alidomain reconciles (reads the task list) and reports what it
found instead of ordering again.

Credentials: with --simulate none (a built-in simulator with a demo account);
otherwise the SDK's default chain: the environment (ALIBABA_CLOUD_ACCESS_KEY_ID,
ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABA_CLOUD_SECURITY_TOKEN), OIDC, the aliyun
CLI's ~/.aliyun/config.json (--profile NAME), ~/.alibabacloud/credentials, the
ECS instance's RAM role, ALIBABA_CLOUD_CREDENTIALS_URI.`,
		Example: `  alidomain --simulate domains --expiring 30d
  alidomain --simulate renew --expiring 30d            # the plan: prices and total
  alidomain --simulate renew --expiring 30d --yes      # order, follow the task
  alidomain --simulate redeem --all --max-total 500 --yes -o json`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			a.cmdName = strings.TrimPrefix(cmd.CommandPath(), "alidomain ")
			return a.checkGlobals()
		},
	}
	root.SetUsageTemplate(root.UsageTemplate() + exitCodeHelp())
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageErr("%v", err) })

	f := root.PersistentFlags()
	f.BoolVar(&a.simulate, "simulate", false, "run on the built-in simulator with a demo account (no account, no network; see README)")
	f.StringVar(&a.profile, "profile", "", "profile `NAME` of the aliyun CLI's config file (~/.aliyun/config.json)")
	f.StringVar(&a.endpoint, "endpoint", "", "API endpoint `URL` (default "+alidomain.DefaultEndpoint+")")
	f.BoolVar(&a.intl, "intl", false, "use the international endpoint "+IntlEndpoint+" (alibabacloud.com accounts)")
	f.StringVar(&a.signature, "signature", "v2", "request signature: v2 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256)")
	f.Float64Var(&a.rate, "rate", 0, "at most `N` API calls per second (the SDK's pacing; 0: no pacing)")
	f.StringVarP(&a.output, "output", "o", "table", "output format: table, json or csv")
	f.BoolVar(&a.jsonOut, "json", false, "same as -o json: one JSON document on stdout, whatever the outcome")
	f.BoolVar(&a.yes, "yes", false, "place the orders shown (without it, paid commands only show their plan)")
	f.DurationVar(&a.timeout, "timeout", time.Hour, "give up after this long (an order already placed is then reported with how to resume)")
	f.BoolVar(&a.debug, "debug", false, "log every API attempt on stderr (the SDK's logs: no secret, no authorization code)")
	f.StringVar(&a.currency, "currency", "", "currency of prices (default CNY, USD with --intl)")
	f.BoolVar(&a.noProgress, "no-progress", false, "never draw progress bars (they are drawn only on a terminal anyway)")

	root.AddCommand(
		a.domainsCommand(),
		a.priceCommand(),
		a.orderCommand(renewKind),
		a.orderCommand(redeemKind),
		a.orderCommand(transferKind),
		a.orderCommand(registerKind),
		a.tasksCommand(),
		a.reconcileCommand(),
		a.actionsCommand(),
		a.callCommand(),
		a.dnsCommand(),
		a.lockCommand(),
		a.privacyCommand(),
		a.transferOutCommand(),
	)
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			c.Short = "Generate the shell completion script (bash, zsh, fish, powershell)"
		}
	}
	return root
}

// checkGlobals validates the global flags.
func (a *app) checkGlobals() error {
	if a.jsonOut {
		if a.output != "table" && a.output != "json" {
			return usageErr("--json and -o %s disagree", a.output)
		}
		a.output = "json"
	}
	switch a.output {
	case "table", "json", "csv":
	default:
		return usageErr("-o %q: want table, json or csv", a.output)
	}
	switch a.signature {
	case "v2", "v3":
	default:
		return usageErr("--signature %q: want v2 or v3", a.signature)
	}
	if a.rate < 0 {
		return usageErr("--rate %v: must not be negative", a.rate)
	}
	if a.timeout <= 0 {
		return usageErr("--timeout %v: must be positive", a.timeout)
	}
	if a.intl && a.endpoint != "" {
		return usageErr("--intl and --endpoint: give one")
	}
	if a.simulate && (a.intl || a.endpoint != "" || a.profile != "") {
		return usageErr("--simulate runs on the built-in simulator: --endpoint, --intl and --profile do not apply")
	}
	if a.currency == "" {
		a.currency = "CNY"
		if a.intl {
			a.currency = "USD"
		}
	}
	a.currency = strings.ToUpper(a.currency)
	return nil
}

// ctx returns the command's context with --timeout.
func (a *app) ctx(cmd *cobra.Command) (context.Context, context.CancelFunc) {
	return context.WithTimeout(cmd.Context(), a.timeout)
}

// getClient builds the Client once: on the simulator with --simulate,
// otherwise on the real service with the default credential chain.
func (a *app) getClient() (*alidomain.Client, error) {
	if a.client != nil {
		return a.client, nil
	}
	opts := alidomain.Options{
		Credentials: alidomain.DefaultCredentials(),
		Endpoint:    a.endpoint,
		Signature:   alidomain.SignatureVersion(a.signature),
		RateLimit:   alidomain.RateLimit{PerSecond: a.rate},
		UserAgent:   "alidomain-cli",
	}
	if a.intl {
		opts.Endpoint = IntlEndpoint
	}
	if a.profile != "" {
		// The default chain reads the CLI profile's name from here.
		if err := os.Setenv(alidomain.EnvProfile, a.profile); err != nil {
			return nil, err
		}
	}
	if a.debug {
		opts.Logger = slog.New(slog.NewTextHandler(scrubWriter{a}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	if a.simulate {
		if a.sim == nil {
			sim, err := a.startSimulator()
			if err != nil {
				return nil, &exitError{code: exitUsage, err: err}
			}
			a.sim, a.ownSim = sim, true
		}
		opts.Endpoint = a.sim.URL
		opts.Credentials = alidomain.StaticCredentials(a.sim.AccessKeyID, a.sim.AccessKeySecret)
	}
	c, err := alidomain.New(opts)
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	a.client = c
	return c, nil
}

// apiCalls returns the calls the simulator answered, per action (nil when
// not simulating), for the JSON report and the measurements.
func (a *app) apiCalls() map[string]int {
	if !a.simulate || a.sim == nil {
		return nil
	}
	out := map[string]int{}
	for _, act := range theCatalog().Actions {
		if n := a.sim.Requests(act.Name); n > 0 {
			out[act.Name] = n
		}
	}
	return out
}

// writeJSON writes v as the run's one JSON document.
func (a *app) writeJSON(v any) {
	a.emitted = true
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(a.stderr, "alidomain: writing JSON: %v\n", err)
	}
}

// fail ends a command with code after its report was written.
func fail(code int, format string, args ...any) error {
	if code == exitOK {
		return nil
	}
	return &exitError{code: code, err: fmt.Errorf(format, args...)}
}
