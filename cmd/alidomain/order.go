package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/alidomain/alidomain"
	"github.com/spf13/cobra"
)

// kind is one kind of paid order: how its domains are chosen, priced,
// submitted in batches and reconciled.
type kind struct {
	name        string // the command: renew, redeem, transfer, register
	short       string
	priceAction alidomain.PriceAction
	hasYears    bool // the order carries a period
	held        bool // the domains are the account's (renew, redeem)
}

var (
	renewKind    = &kind{name: "renew", short: "Renew domains: plan, prices and total; order with --yes; follow the tasks", priceAction: alidomain.PriceRenew, hasYears: true, held: true}
	redeemKind   = &kind{name: "redeem", short: "Redeem domains in their redemption period: plan, prices and total; order with --yes", priceAction: alidomain.PriceRestore, held: true}
	transferKind = &kind{name: "transfer", short: "Transfer domains in (--file: domain and authorization code per line); order with --yes", priceAction: alidomain.PriceTransfer}
	registerKind = &kind{name: "register", short: "Register available domains with a registrant profile; order with --yes", priceAction: alidomain.PriceCreate, hasYears: true}
)

// kindByName finds a kind for --kind.
func kindByName(s string) *kind {
	for _, k := range []*kind{renewKind, redeemKind, transferKind, registerKind} {
		if k.name == s {
			return k
		}
	}
	return nil
}

// orderFlags are the flags of an order command.
type orderFlags struct {
	sel             selection
	file            string
	years           int
	maxTotal        string
	permitPremium   bool
	includeUnpriced bool
	profileID       int64
	dns             string
	privacy         bool
}

// orderCommand is "alidomain renew|redeem|transfer|register".
func (a *app) orderCommand(k *kind) *cobra.Command {
	var o orderFlags
	cmd := &cobra.Command{
		Short: k.short,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.sel.names = args
			return a.runOrder(cmd, k, &o)
		},
	}
	f := cmd.Flags()
	switch k.name {
	case "renew", "redeem":
		cmd.Use = k.name + " (DOMAIN... | --file F | --expiring DURATION | --all)"
		what := "domains that need renewal"
		if k.name == "redeem" {
			what = "domains in their redemption period"
		}
		cmd.Long = fmt.Sprintf(`Show what would be ordered (each domain, its price and the total), then with
--yes place the order in as few batches as the API allows (%d domains each) and
follow the tasks to the end. Domains without a price are shown as such, never
counted as 0, and not ordered (unless --include-unpriced). Above --max-total
nothing is ordered. When an order's answer is lost, alidomain reconciles (reads
the task list) and reports what it found (exit 3); it never orders again blindly.

--all selects every %s; --expiring DURATION those expiring
within DURATION (the service's expiration window).`, maxBatch, what)
		cmd.Example = fmt.Sprintf(`  alidomain --simulate %[1]s --expiring 30d
  alidomain --simulate %[1]s --all --max-total 1000 --yes
  alidomain --simulate %[1]s --file domains.txt --yes -o json`, k.name)
		f.Var(&o.sel.expiring, "expiring", "the domains expiring within `DURATION` (such as 30d)")
		f.BoolVar(&o.sel.all, "all", false, "every "+what)
	case "transfer":
		cmd.Use = "transfer --file F --profile-id N"
		cmd.Long = `Transfer domains into the account. --file names a file (or - for stdin) with one
domain and its authorization code per line, separated by blanks or a comma.
The codes are secrets: they are sent in the signed order only, and never
printed or logged. Shows the plan; orders with --yes; follows the tasks.`
		cmd.Example = `  printf 'acme-transfer.com DEMO-EPP-7Q2X\n' | alidomain --simulate transfer --file - --profile-id 20001 --yes`
	case "register":
		cmd.Use = "register (DOMAIN... | --file F) --profile-id N"
		cmd.Long = `Register available domains with a real-name-verified registrant profile
(--profile-id). Shows the plan (each price and the total); orders with --yes;
follows the tasks.`
		cmd.Example = `  alidomain --simulate register acme-new.com acme-new.net --profile-id 20001 --yes`
	}
	f.StringVar(&o.file, "file", "", "read the domains from `F` (one per line; - for stdin)")
	if k.hasYears {
		f.IntVar(&o.years, "years", 1, "years to "+k.name+" for, 1 to 10")
	}
	f.StringVar(&o.maxTotal, "max-total", "", "never order above this `AMOUNT` in total (such as 500 or 499.90, in --currency)")
	f.BoolVar(&o.includeUnpriced, "include-unpriced", false, "also order domains the price query gave no price for (not with --max-total)")
	if k.name != "redeem" {
		f.BoolVar(&o.permitPremium, "permit-premium", false, "allow premium domains at their premium price")
	}
	if !k.held {
		f.Int64Var(&o.profileID, "profile-id", 0, "registrant profile `ID` (real-name verified) the domains go to (required)")
	}
	if k.name == "register" {
		f.StringVar(&o.dns, "dns", "", "name servers `NS1,NS2` (default: Alibaba Cloud DNS)")
		f.BoolVar(&o.privacy, "privacy", true, "WHOIS privacy protection")
	}
	return cmd
}

// orderReport is the JSON document of an order command.
type orderReport struct {
	Command        string         `json:"command"`
	Simulated      bool           `json:"simulated"`
	Currency       string         `json:"currency"`
	Domains        []*item        `json:"domains"`
	Total          float64        `json:"total"`
	PricedCount    int            `json:"priced"`
	UnpricedCount  int            `json:"unpriced"`
	MaxTotal       *float64       `json:"max_total,omitempty"`
	Submitted      bool           `json:"submitted"`
	Tasks          []string       `json:"tasks"`
	OutcomeUnknown *unknownReport `json:"outcome_unknown,omitempty"`
	Counts         map[string]int `json:"counts"`
	Message        string         `json:"message"`
	APICalls       map[string]int `json:"api_calls,omitempty"`
	ExitCode       int            `json:"exit_code"`
}

// unknownReport says what became of an order whose answer was lost.
type unknownReport struct {
	Error      string    `json:"error"`
	SentAt     time.Time `json:"sent_at"`
	Reconciled bool      `json:"reconciled"`
	Resume     string    `json:"resume"`
}

// runOrder is the whole flow of a paid order: select, price, gate, submit
// in batches, follow the tasks, report.
func (a *app) runOrder(cmd *cobra.Command, k *kind, o *orderFlags) error {
	// Usage first: nothing is read or sent before the flags make sense.
	if o.file != "" {
		lines, err := a.readLines(o.file)
		if err != nil {
			return usageErr("--file: %v", err)
		}
		if k.name == "transfer" {
			return a.runTransfer(cmd, k, o, lines)
		}
		o.sel.names = append(o.sel.names, lines...)
		if len(lines) == 0 {
			return usageErr("--file %s names no domain", o.file)
		}
	}
	if k.name == "transfer" {
		return usageErr("transfer reads its domains and codes from --file (never from the command line, where codes would end up in the shell's history)")
	}
	if n := o.sel.count(); n != 1 {
		if k.held {
			return usageErr("give the domains one way: DOMAIN..., --file, --expiring or --all")
		}
		return usageErr("give the domains: DOMAIN... or --file")
	}
	return a.order(cmd, k, o, nil)
}

// runTransfer reads the transfer file: a domain and its code per line.
func (a *app) runTransfer(cmd *cobra.Command, k *kind, o *orderFlags, lines []string) error {
	if len(o.sel.names) > 0 {
		return usageErr("transfer reads its domains from --file only")
	}
	codes := map[string]string{}
	var names []string
	for i, line := range lines {
		fields := strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
		if len(fields) != 2 {
			// The line is not quoted: it may hold a code.
			return usageErr("--file line %d: want a domain and its authorization code", i+1)
		}
		names = append(names, fields[0])
		codes[canonical(fields[0])] = fields[1]
	}
	if len(names) == 0 {
		return usageErr("--file %s names no domain", o.file)
	}
	o.sel.names = names
	return a.order(cmd, k, o, codes)
}

// order runs a validated order command.
func (a *app) order(cmd *cobra.Command, k *kind, o *orderFlags, codes map[string]string) error {
	if k.hasYears && (o.years < 1 || o.years > 10) {
		return usageErr("--years %d: want 1 to 10", o.years)
	}
	var maxCents int64 = -1
	if o.maxTotal != "" {
		v, err := parseAmount(o.maxTotal)
		if err != nil {
			return usageErr("--max-total: %v", err)
		}
		maxCents = v
		if o.includeUnpriced {
			return usageErr("--include-unpriced and --max-total: an unpriced domain cannot be kept under a maximum")
		}
	}
	if !k.held && o.profileID <= 0 {
		return usageErr("--profile-id: give the registrant profile the domains go to")
	}
	var dns1, dns2 string
	if o.dns != "" {
		parts := strings.Split(o.dns, ",")
		if len(parts) != 2 || strings.TrimSpace(parts[0]) == "" || strings.TrimSpace(parts[1]) == "" {
			return usageErr("--dns %q: want two name servers, NS1,NS2", o.dns)
		}
		dns1, dns2 = strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1])
	}
	ctx, cancel := a.ctx(cmd)
	defer cancel()

	// Select.
	var items []*item
	var err error
	if k.held {
		items, err = a.selectHeld(ctx, k, &o.sel, o.years, o.permitPremium)
	} else {
		items, err = dedupe(o.sel.names)
		for _, it := range items {
			it.code = codes[it.key]
			if k.hasYears {
				it.Years = o.years
			}
		}
	}
	if err != nil {
		return errBeforeSending(err)
	}
	// Price.
	if err := a.quote(ctx, k.priceAction, items); err != nil {
		return errBeforeSending(err)
	}
	for _, it := range items {
		if it.Status != stPlanned {
			continue
		}
		switch {
		case !it.priced() && !o.includeUnpriced:
			it.Status, it.Message = stSkipped, "not ordered: "+it.PriceNote
		case it.Premium && !o.permitPremium && k.name != "redeem":
			it.Status, it.Message = stSkipped, "premium domain: --permit-premium orders it at its premium price"
		}
	}
	rep := &orderReport{Command: k.name, Simulated: a.simulate, Currency: a.currency, Domains: items, Tasks: []string{}}
	cents, priced, unpriced := totals(items, stPlanned)
	rep.Total, rep.PricedCount, rep.UnpricedCount = float64(cents)/100, priced, unpriced
	if maxCents >= 0 {
		m := float64(maxCents) / 100
		rep.MaxTotal = &m
	}
	planned := priced + unpriced
	if a.output == "table" {
		a.printPlan(k, items)
	}
	// Gates: nothing to do, no --yes, above --max-total.
	switch {
	case planned == 0:
		return a.finishOrder(rep, exitNothing, "nothing to order")
	case !a.yes:
		return a.finishOrder(rep, exitNothing, fmt.Sprintf("nothing ordered: %s, %s; run again with --yes to order", nDomains(planned), a.totalText(cents, unpriced)))
	case maxCents >= 0 && cents > maxCents:
		return a.finishOrder(rep, exitNothing, fmt.Sprintf("nothing ordered: the total %s is above --max-total %s", money(cents, a.currency), money(maxCents, a.currency)))
	}

	// Submit, in batches.
	c, err := a.getClient()
	if err != nil {
		return err
	}
	var todo []*item
	for _, it := range items {
		if it.Status == stPlanned {
			todo = append(todo, it)
		}
	}
	rep.Submitted = true
	unknown := false
	var follow []string // tasks to follow
	// Every batch is validated before the first is sent.
	for start := 0; start < len(todo); start += maxBatch {
		if _, err := a.submit(ctx, c, k, o, todo[start:min(start+maxBatch, len(todo))], dns1, dns2, true); err != nil {
			return errBeforeSending(err)
		}
	}
	p := a.newProgress()
	for start := 0; start < len(todo); start += maxBatch {
		batch := todo[start:min(start+maxBatch, len(todo))]
		p.bar("ordering", start, len(todo), "", true)
		taskNo, err := a.submit(ctx, c, k, o, batch, dns1, dns2, false)
		if err == nil {
			for _, it := range batch {
				it.Status, it.Task = stSubmitted, taskNo
			}
			rep.Tasks = append(rep.Tasks, taskNo)
			follow = append(follow, taskNo)
			continue
		}
		p.done()
		for _, it := range todo[start+len(batch):] {
			it.Status, it.Message = stNotSubmitted, "not submitted: an earlier batch failed; run the command again for it"
		}
		var ou *alidomain.OutcomeUnknownError
		var apiErr *alidomain.APIError
		if start == 0 && !errors.As(err, &ou) && !errors.As(err, &apiErr) {
			// Not sent (or provably not performed): nothing was ordered.
			return errBeforeSending(err)
		}
		if !errors.As(err, &ou) {
			for _, it := range batch {
				it.Status, it.Message = stFailed, "order refused: "+err.Error()
			}
			break
		}
		unknown = true
		rep.OutcomeUnknown = a.reconcileBatch(cmd.Context(), k, batch, ou, &follow, &rep.Tasks)
		break
	}
	p.done()
	// Follow the tasks.
	pending := a.follow(ctx, follow, items)
	for _, it := range items {
		if it.Status == stSubmitted && pending[it.Task] {
			it.Message = "task not finished; follow it with: alidomain tasks wait " + it.Task
		}
	}
	code := exitOK
	counts := map[string]int{}
	for _, it := range items {
		counts[it.Status]++
		switch it.Status {
		case stSucceeded:
		case stSubmitted, stUnknown:
			unknown = true
		default:
			if code == exitOK {
				code = exitFailed
			}
		}
	}
	if unknown {
		code = exitUnknown
	}
	rep.Counts = counts
	okCents, _, _ := totals(items, stSucceeded)
	msg := fmt.Sprintf("%d succeeded (%s), %d failed, %d skipped", counts[stSucceeded], money(okCents, a.currency),
		counts[stFailed], counts[stSkipped])
	if n := counts[stSubmitted] + counts[stUnknown]; n > 0 {
		msg += fmt.Sprintf(", %d unknown or pending", n)
	}
	if n := counts[stNotOrdered] + counts[stNotSubmitted]; n > 0 {
		msg += fmt.Sprintf(", %d not ordered", n)
	}
	return a.finishOrder(rep, code, msg)
}

// errBeforeSending is an error before any order was sent (exit 2).
func errBeforeSending(err error) error {
	var ee *exitError
	if errors.As(err, &ee) {
		return err
	}
	return &exitError{code: exitUsage, err: fmt.Errorf("%w (nothing was ordered)", err)}
}

// totalText describes a plan's total.
func (a *app) totalText(cents int64, unpriced int) string {
	s := "total " + money(cents, a.currency)
	if unpriced > 0 {
		s += fmt.Sprintf(" plus %d without a price", unpriced)
	}
	return s
}

// submit places one batch.
// With check it only validates the batch's request (nothing is sent).
func (a *app) submit(ctx context.Context, c *alidomain.Client, k *kind, o *orderFlags, batch []*item, dns1, dns2 string, check bool) (string, error) {
	var res *alidomain.SubmitResult
	var err error
	switch k {
	case renewKind:
		req := &alidomain.BatchRenewRequest{}
		for _, it := range batch {
			req.Domains = append(req.Domains, alidomain.RenewDomain{DomainName: it.Domain, CurrentExpirationDate: *it.Expires,
				Years: it.Years, PermitPremium: it.Premium && o.permitPremium})
		}
		if check {
			return "", req.Validate()
		}
		res, err = c.Renew.SubmitBatch(ctx, req)
	case redeemKind:
		req := &alidomain.BatchRedeemRequest{}
		for _, it := range batch {
			req.Domains = append(req.Domains, alidomain.RedeemDomain{DomainName: it.Domain, CurrentExpirationDate: *it.Expires})
		}
		if check {
			return "", req.Validate()
		}
		res, err = c.Redeem.SubmitBatch(ctx, req)
	case transferKind:
		req := &alidomain.BatchTransferRequest{}
		for _, it := range batch {
			req.Domains = append(req.Domains, alidomain.TransferDomain{DomainName: it.Domain, AuthorizationCode: it.code,
				RegistrantProfileID: o.profileID, PermitPremium: it.Premium && o.permitPremium})
		}
		if check {
			return "", req.Validate()
		}
		res, err = c.Transfer.SubmitBatch(ctx, req)
	case registerKind:
		req := &alidomain.BatchRegisterRequest{}
		// Alibaba Cloud DNS is the API's default: only custom name servers turn it off.
		var aliyunDNS *bool
		if dns1 != "" {
			aliyunDNS = alidomain.Ptr(false)
		}
		for _, it := range batch {
			req.Domains = append(req.Domains, alidomain.RegisterDomain{DomainName: it.Domain, Years: it.Years,
				RegistrantProfileID: o.profileID, AliyunDNS: aliyunDNS, DNS1: dns1, DNS2: dns2,
				EnableDomainProxy: alidomain.Ptr(o.privacy), PermitPremium: it.Premium && o.permitPremium})
		}
		if check {
			return "", req.Validate()
		}
		res, err = c.Register.SubmitBatch(ctx, req)
	}
	if err != nil {
		return "", err
	}
	return res.TaskNo, nil
}

// reconcileFn returns the Reconcile of a kind.
func reconcileFn(c *alidomain.Client, k *kind) func(context.Context, time.Time, []string, ...func(*alidomain.Options)) (map[string]*alidomain.TaskDetail, error) {
	switch k {
	case renewKind:
		return c.Renew.Reconcile
	case redeemKind:
		return c.Redeem.Reconcile
	case transferKind:
		return c.Transfer.Reconcile
	default:
		return c.Register.Reconcile
	}
}

// reconcileBatch finds out what became of a batch whose answer was lost,
// with a fresh deadline (the command's may be what ran out). Domains with a
// task go on to be followed; the others are reported as not ordered.
func (a *app) reconcileBatch(parent context.Context, k *kind, batch []*item, ou *alidomain.OutcomeUnknownError, follow, tasks *[]string) *unknownReport {
	names := make([]string, len(batch))
	for i, it := range batch {
		names[i] = it.Domain
	}
	resume := fmt.Sprintf("alidomain reconcile --kind %s --since %s %s", k.name, ou.SentAt.UTC().Format(time.RFC3339), strings.Join(names, " "))
	if len(names) > 10 {
		resume = fmt.Sprintf("alidomain reconcile --kind %s --since %s DOMAIN... (the %d domains marked unknown)", k.name, ou.SentAt.UTC().Format(time.RFC3339), len(names))
	}
	rep := &unknownReport{Error: ou.Error(), SentAt: ou.SentAt, Resume: resume}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), 2*time.Minute)
	defer cancel()
	c, _ := a.getClient()
	found, err := reconcileFn(c, k)(ctx, ou.SentAt, names)
	if err != nil {
		for _, it := range batch {
			it.Status, it.Message = stUnknown, "the order may have been placed; reconciling failed ("+err.Error()+"): do not order again before: "+resume
		}
		return rep
	}
	rep.Reconciled = true
	seen := map[string]bool{}
	for _, it := range batch {
		d := found[it.Domain]
		if d == nil {
			it.Status, it.Message = stNotOrdered, "reconciled: no order was placed; safe to order again"
			continue
		}
		it.Task = d.TaskNo
		switch d.Status {
		case alidomain.TaskSucceeded:
			it.Status, it.Message = stSucceeded, "reconciled: the order was placed and succeeded"
		case alidomain.TaskFailed:
			it.Status, it.Message = stFailed, "reconciled: the order was placed and failed: "+d.ErrorMsg
		default:
			it.Status, it.Message = stSubmitted, "reconciled: the order was placed"
			if !seen[d.TaskNo] {
				seen[d.TaskNo] = true
				*follow = append(*follow, d.TaskNo)
			}
		}
		if !contains(*tasks, d.TaskNo) {
			*tasks = append(*tasks, d.TaskNo)
		}
	}
	return rep
}

// contains reports whether list holds s.
func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// waitOptions are the polling intervals: the SDK's backoff (2s doubling to
// 30s), shorter on the simulator.
func (a *app) waitOptions() alidomain.WaitOptions {
	if a.poll.PollInterval > 0 {
		return alidomain.WaitOptions{PollInterval: a.poll.PollInterval, MaxInterval: a.poll.MaxInterval}
	}
	if a.simulate {
		return alidomain.WaitOptions{PollInterval: 250 * time.Millisecond, MaxInterval: 2 * time.Second}
	}
	return alidomain.WaitOptions{}
}

// follow waits for every task at once (each with its own backoff), with one
// progress bar over all of them, and applies each detail to its item. It
// returns the tasks that did not finish.
func (a *app) follow(ctx context.Context, tasks []string, items []*item) map[string]bool {
	pending := map[string]bool{}
	if len(tasks) == 0 {
		return pending
	}
	c, _ := a.getClient()
	p := a.newProgress()
	defer p.done()
	var mu sync.Mutex
	counts := map[string]alidomain.TaskCounts{}
	total := 0
	for _, it := range items {
		if it.Status == stSubmitted {
			total++
		}
	}
	draw := func(force bool) {
		var sum alidomain.TaskCounts
		for _, tc := range counts {
			sum.Succeeded += tc.Succeeded
			sum.Failed += tc.Failed
			sum.Waiting += tc.Waiting
			sum.Executing += tc.Executing
		}
		done := sum.Succeeded + sum.Failed
		p.bar(fmt.Sprintf("following %d task(s)", len(tasks)), done, max(total, done),
			fmt.Sprintf("%d done, %d failed, %d pending", sum.Succeeded, sum.Failed, total-done), force)
	}
	draw(true)
	reports := make([]*alidomain.TaskReport, len(tasks))
	errs := make([]error, len(tasks))
	var wg sync.WaitGroup
	for i, t := range tasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wo := a.waitOptions()
			wo.Progress = func(tc alidomain.TaskCounts) {
				mu.Lock()
				defer mu.Unlock()
				counts[t] = tc
				draw(false)
			}
			reports[i], errs[i] = c.Tasks.Wait(ctx, t, &wo)
		}()
	}
	wg.Wait()
	byKey := map[string]*item{}
	for _, it := range items {
		byKey[it.key] = it
	}
	for i, t := range tasks {
		if errs[i] != nil {
			pending[t] = true
		}
		if reports[i] == nil {
			continue
		}
		for _, d := range reports[i].Details {
			it := byKey[canonical(d.DomainName)]
			if it == nil || it.Task != t {
				continue
			}
			switch d.Status {
			case alidomain.TaskSucceeded:
				it.Status = stSucceeded
				it.result = d.TaskResult
				if strings.HasPrefix(it.Message, "reconciled") {
					it.Message = "reconciled: the order was placed and succeeded"
				}
			case alidomain.TaskFailed:
				it.Status = stFailed
				it.Message = d.ErrorMsg
				if d.FailReason != "" && d.FailReason != d.ErrorMsg {
					it.Message = strings.TrimSpace(it.Message + " (" + d.FailReason + ")")
				}
			}
		}
	}
	for _, it := range items {
		if it.Status == stSubmitted && !pending[it.Task] {
			it.Status, it.Message = stFailed, "the task has no result for this domain"
		}
	}
	return pending
}

// printPlan writes the plan table (table output only), before anything is
// ordered.
func (a *app) printPlan(k *kind, items []*item) {
	t := a.itemTable(k, items, false)
	t.write(a.stdout, "table", a.colour())
	cents, _, unpriced := totals(items, stPlanned)
	planned := 0
	for _, it := range items {
		if it.Status == stPlanned {
			planned++
		}
	}
	fmt.Fprintf(a.stdout, "To %s: %s, %s\n", k.name, nDomains(planned), a.totalText(cents, unpriced))
}

// itemTable is the table of a plan (results false) or of its outcome.
func (a *app) itemTable(k *kind, items []*item, results bool) *table {
	header := []string{"DOMAIN"}
	if k.held {
		header = append(header, "EXPIRES")
	}
	if k.hasYears {
		header = append(header, "YEARS")
	}
	header = append(header, "PRICE", "STATUS")
	if results {
		header = append(header, "TASK")
	}
	header = append(header, "NOTE")
	t := &table{header: header, right: map[int]bool{}}
	for i, h := range header {
		if h == "PRICE" || h == "YEARS" {
			t.right[i] = true
		}
	}
	for _, it := range items {
		name := it.Domain
		if a.output == "table" {
			name = display(name)
		}
		row := []cell{{text: name}}
		if k.held {
			exp := "-"
			if it.Expires != nil {
				exp = dateOf(*it.Expires)
			}
			row = append(row, cell{text: exp})
		}
		if k.hasYears {
			row = append(row, cell{text: strconv.Itoa(it.Years)})
		}
		price := cell{text: "no price", colour: yellow}
		if it.priced() {
			price = cell{text: money(it.cents, a.currency)}
		}
		note := it.Message
		if !results && note == "" {
			note = it.PriceNote
		}
		st := cell{text: it.Status}
		switch it.Status {
		case stSucceeded:
			st.colour = green
		case stFailed, stUnknown:
			st.colour = red
		case stSkipped, stNotOrdered, stNotSubmitted, stSubmitted:
			st.colour = yellow
		}
		row = append(row, price, st)
		if results {
			row = append(row, cell{text: it.Task})
		}
		row = append(row, cell{text: note})
		t.addCells(row...)
	}
	return t
}

// finishOrder writes the order's report and ends with code.
func (a *app) finishOrder(rep *orderReport, code int, msg string) error {
	rep.ExitCode, rep.Message, rep.APICalls = code, msg, a.apiCalls()
	if rep.Counts == nil {
		rep.Counts = map[string]int{}
		for _, it := range rep.Domains {
			rep.Counts[it.Status]++
		}
	}
	k := kindByName(rep.Command)
	switch a.output {
	case "json":
		a.writeJSON(rep)
	case "csv":
		a.itemTable(k, rep.Domains, true).write(a.stdout, "csv", false)
	default:
		if rep.Submitted {
			fmt.Fprintln(a.stdout)
			a.itemTable(k, rep.Domains, true).write(a.stdout, "table", a.colour())
		}
		if u := rep.OutcomeUnknown; u != nil {
			fmt.Fprintf(a.stdout, "\nOutcome unknown: %s\n", u.Error)
			if u.Reconciled {
				fmt.Fprintln(a.stdout, "Reconciled: the task list was read; each domain's STATUS above says what it found.")
			} else {
				fmt.Fprintf(a.stdout, "Reconciling failed: before ordering again, run:\n  %s\n", u.Resume)
			}
		}
		fmt.Fprintln(a.stdout, msg)
	}
	if code == exitOK {
		return nil
	}
	return &exitError{code: code, err: errors.New("")}
}
