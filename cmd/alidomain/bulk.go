package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/internal/catalog"
	"github.com/spf13/cobra"
)

// Actions of the bulk management commands (names of the catalog).
const (
	actModifyDNS      = "SaveBatchTaskForModifyingDomainDns"
	actTransferLock   = "SaveBatchTaskForTransferProhibitionLock"
	actUpdateLock     = "SaveBatchTaskForUpdateProhibitionLock"
	actPrivacy        = "SaveBatchTaskForDomainNameProxyService"
	actTransferOutKey = "SaveSingleTaskForQueryingTransferAuthorizationCode"
)

// bulkParallel is how many of a bulk command's requests are in flight at
// once (they are paced by --rate all the same).
const bulkParallel = 4

// bulkOp is one bulk management command: a task write over the domains,
// in as few tasks as the action's list limit allows (one per domain for an
// action that takes a single DomainName).
type bulkOp struct {
	action string     // the catalog's action, for the batch size and the report
	send   submitFunc // sends one part through the typed layer
	what   string     // what it does, for the report
	codes  bool       // the succeeded details' TaskResult is a transfer code to show
}

// submitFunc sends one task write of a bulk command for the domains (one
// domain for an action without a batch form) through the generated typed
// layer, which validates the request before sending it, and returns the
// task's TaskNo.
type submitFunc func(ctx context.Context, c *alidomain.Client, domains []string) (string, error)

// taskNo returns an answer's TaskNo; an answer without one is an unknown
// outcome, never a success.
func taskNo(action, no string) (string, error) {
	if no == "" {
		return "", fmt.Errorf("%w: %s answered without a TaskNo", alidomain.ErrOutcomeUnknown, action)
	}
	return no, nil
}

// modifyDNS sets the domains' name servers (ns), or Alibaba Cloud DNS's.
func modifyDNS(aliyun bool, ns []string) submitFunc {
	return func(ctx context.Context, c *alidomain.Client, domains []string) (string, error) {
		res, err := c.API.SaveBatchTaskForModifyingDomainDns(ctx, &alidomain.SaveBatchTaskForModifyingDomainDnsRequest{
			DomainName: domains, AliyunDNS: aliyun, DomainNameServer: ns,
		})
		if err != nil {
			return "", err
		}
		return taskNo(actModifyDNS, res.TaskNo)
	}
}

// setLock turns the transfer prohibition lock (or with update, the update
// prohibition lock) on or off.
func setLock(update, on bool) submitFunc {
	return func(ctx context.Context, c *alidomain.Client, domains []string) (string, error) {
		if update {
			res, err := c.API.SaveBatchTaskForUpdateProhibitionLock(ctx, &alidomain.SaveBatchTaskForUpdateProhibitionLockRequest{DomainName: domains, Status: on})
			if err != nil {
				return "", err
			}
			return taskNo(actUpdateLock, res.TaskNo)
		}
		res, err := c.API.SaveBatchTaskForTransferProhibitionLock(ctx, &alidomain.SaveBatchTaskForTransferProhibitionLockRequest{DomainName: domains, Status: on})
		if err != nil {
			return "", err
		}
		return taskNo(actTransferLock, res.TaskNo)
	}
}

// setPrivacy turns WHOIS privacy protection on or off.
func setPrivacy(on bool) submitFunc {
	return func(ctx context.Context, c *alidomain.Client, domains []string) (string, error) {
		res, err := c.API.SaveBatchTaskForDomainNameProxyService(ctx, &alidomain.SaveBatchTaskForDomainNameProxyServiceRequest{DomainName: domains, Status: on})
		if err != nil {
			return "", err
		}
		return taskNo(actPrivacy, res.TaskNo)
	}
}

// transferOutCode asks for one domain's transfer authorization code (the
// action has no batch form, so runBulk sends one domain per part).
func transferOutCode(ctx context.Context, c *alidomain.Client, domains []string) (string, error) {
	if len(domains) != 1 {
		return "", fmt.Errorf("%s takes one domain, not %d", actTransferOutKey, len(domains))
	}
	res, err := c.API.SaveSingleTaskForQueryingTransferAuthorizationCode(ctx, &alidomain.SaveSingleTaskForQueryingTransferAuthorizationCodeRequest{DomainName: domains[0]})
	if err != nil {
		return "", err
	}
	return taskNo(actTransferOutKey, res.TaskNo)
}

// bulkRow is one domain of a bulk command's report.
type bulkRow struct {
	Domain  string `json:"domain"`
	Status  string `json:"status"`
	Task    string `json:"task,omitempty"`
	Message string `json:"message,omitempty"`
	// Code is the transfer authorization code (transfer-out code only):
	// shown here once and nowhere else.
	Code string `json:"authorization_code,omitempty"`
}

// domainArgs adds --file to a bulk command and returns the domains named.
func (a *app) domainArgs(args []string, file string) ([]*item, error) {
	names := append([]string(nil), args...)
	if file != "" {
		lines, err := a.readLines(file)
		if err != nil {
			return nil, usageErr("--file: %v", err)
		}
		names = append(names, lines...)
	}
	items, err := dedupe(names)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, usageErr("give the domains: DOMAIN... or --file")
	}
	return items, nil
}

// onOff reads the on|off argument.
func onOff(args []string) (bool, []string, error) {
	if len(args) == 0 {
		return false, nil, usageErr("give on or off, then the domains")
	}
	switch args[0] {
	case "on":
		return true, args[1:], nil
	case "off":
		return false, args[1:], nil
	}
	return false, nil, usageErr("%q: want on or off", args[0])
}

// completeOnOff completes the on|off argument (the domains are the user's).
func completeOnOff(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	if len(args) == 0 {
		return []string{"on", "off"}, cobra.ShellCompDirectiveNoFileComp
	}
	return nil, cobra.ShellCompDirectiveNoFileComp
}

// dnsCommand is "alidomain dns set".
func (a *app) dnsCommand() *cobra.Command {
	var ns []string
	var aliyun bool
	var file string
	set := &cobra.Command{
		Use:   "set (--ns NS1,NS2 | --aliyun) DOMAIN...",
		Short: "Set the name servers of domains (" + actModifyDNS + "), following the task to each domain's result",
		Example: `  alidomain --simulate dns set --ns ns1.example.net,ns2.example.net acme-01.com acme-02.com
  alidomain --simulate dns set --aliyun acme-01.com      # back to Alibaba Cloud DNS`,
		RunE: func(cmd *cobra.Command, args []string) error {
			op := &bulkOp{action: actModifyDNS}
			switch {
			case aliyun && len(ns) > 0:
				return usageErr("give --ns or --aliyun, not both")
			case aliyun:
				op.send = modifyDNS(true, nil)
				op.what = "name servers set to Alibaba Cloud DNS"
			case len(ns) == 0:
				return usageErr("give the name servers (--ns NS1,NS2) or --aliyun")
			default:
				// The list's limit is the typed request's to check: its
				// *ValidationError ends the command before anything is sent.
				servers := make([]string, len(ns))
				for i, n := range ns {
					n = strings.TrimSuffix(strings.TrimSpace(n), ".")
					if n == "" || strings.ContainsAny(n, " \t/") {
						return usageErr("--ns: %q is not a name server", n)
					}
					servers[i] = n
				}
				op.send = modifyDNS(false, servers)
				op.what = "name servers set to " + strings.Join(servers, ", ")
			}
			items, err := a.domainArgs(args, file)
			if err != nil {
				return err
			}
			return a.runBulk(cmd, op, items)
		},
	}
	set.Flags().StringSliceVar(&ns, "ns", nil, "the name servers `NS1,NS2` (not Alibaba Cloud DNS)")
	set.Flags().BoolVar(&aliyun, "aliyun", false, "use Alibaba Cloud DNS's name servers")
	set.Flags().StringVar(&file, "file", "", "read the domains from `F` (one per line; - for stdin)")
	cmd := &cobra.Command{
		Use:   "dns",
		Short: "Manage domains' name servers",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usageErr("give a subcommand: alidomain dns set")
		},
	}
	cmd.AddCommand(set)
	return cmd
}

// lockCommand is "alidomain lock on|off [--update] DOMAIN...".
func (a *app) lockCommand() *cobra.Command {
	var update bool
	var file string
	cmd := &cobra.Command{
		Use:   "lock on|off [--update] DOMAIN...",
		Short: "Set or clear domains' transfer lock (or update lock with --update), following the task",
		Long: `Set (on) or clear (off) the transfer prohibition lock of domains
(` + actTransferLock + `), or with --update their update prohibition lock
(` + actUpdateLock + `), in as few tasks as the API allows, and follow the
tasks to each domain's result.`,
		Example: `  alidomain --simulate lock on acme-01.com acme-02.com
  alidomain --simulate lock off --update acme-01.com -o json`,
		ValidArgsFunction: completeOnOff,
		RunE: func(cmd *cobra.Command, args []string) error {
			on, rest, err := onOff(args)
			if err != nil {
				return err
			}
			items, err := a.domainArgs(rest, file)
			if err != nil {
				return err
			}
			op := &bulkOp{action: actTransferLock, send: setLock(update, on), what: "transfer lock " + onOffWord(on)}
			if update {
				op.action, op.what = actUpdateLock, "update lock "+onOffWord(on)
			}
			return a.runBulk(cmd, op, items)
		},
	}
	cmd.Flags().BoolVar(&update, "update", false, "the update prohibition lock instead of the transfer lock")
	cmd.Flags().StringVar(&file, "file", "", "read the domains from `F` (one per line; - for stdin)")
	return cmd
}

// privacyCommand is "alidomain privacy on|off DOMAIN...".
func (a *app) privacyCommand() *cobra.Command {
	var file string
	cmd := &cobra.Command{
		Use:   "privacy on|off DOMAIN...",
		Short: "Turn WHOIS privacy protection on or off for domains, following the task",
		Long: `Turn WHOIS privacy protection on or off for domains (` + actPrivacy + `),
in as few tasks as the API allows, and follow the tasks to each domain's result.`,
		Example:           `  alidomain --simulate privacy on acme-01.com acme-02.com`,
		ValidArgsFunction: completeOnOff,
		RunE: func(cmd *cobra.Command, args []string) error {
			on, rest, err := onOff(args)
			if err != nil {
				return err
			}
			items, err := a.domainArgs(rest, file)
			if err != nil {
				return err
			}
			return a.runBulk(cmd, &bulkOp{action: actPrivacy, send: setPrivacy(on), what: "WHOIS privacy " + onOffWord(on)}, items)
		},
	}
	cmd.Flags().StringVar(&file, "file", "", "read the domains from `F` (one per line; - for stdin)")
	return cmd
}

// transferOutCommand is "alidomain transfer-out code DOMAIN...".
func (a *app) transferOutCommand() *cobra.Command {
	var file string
	code := &cobra.Command{
		Use:   "code DOMAIN...",
		Short: "Get domains' transfer authorization codes, to move them to another registrar",
		Long: `Ask for each domain's transfer authorization code (` + actTransferOutKey + `,
one task per domain: the API has no batch form) and follow the tasks. Where the
service returns the code in the task's result, it is printed once, in the
domain's line on stdout (with -o json, in the domain's object of the JSON
document, since that is the output asked for), and nowhere else: never on
stderr, in --debug logs, in errors or in any other command's output (tasks show
and call print a task's result as ` + redactedMark + `). Where it does not, the
service mails the code to the domain's registrant. A code hands the domain to
whoever holds it: mind where stdout goes.`,
		Example: `  alidomain --simulate transfer-out code acme-01.com acme-02.com`,
		RunE: func(cmd *cobra.Command, args []string) error {
			items, err := a.domainArgs(args, file)
			if err != nil {
				return err
			}
			return a.runBulk(cmd, &bulkOp{action: actTransferOutKey, send: transferOutCode, what: "transfer code issued", codes: true}, items)
		},
	}
	code.Flags().StringVar(&file, "file", "", "read the domains from `F` (one per line; - for stdin)")
	cmd := &cobra.Command{
		Use:   "transfer-out",
		Short: "Transfer domains out: get their transfer authorization codes",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return usageErr("give a subcommand: alidomain transfer-out code")
		},
	}
	cmd.AddCommand(code)
	return cmd
}

// onOffWord says on or off.
func onOffWord(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

// runBulk submits op over the items in as few tasks as the action allows,
// follows the tasks and reports each domain's result.
func (a *app) runBulk(cmd *cobra.Command, op *bulkOp, items []*item) error {
	act := theCatalog().Lookup(op.action)
	if act == nil {
		return usageErr("the catalog has no %s", op.action)
	}
	batch := 1
	list := act.Param("DomainName")
	if list != nil && list.List == catalog.Repeated {
		batch = max(1, list.MaxItems)
		if list.MaxItems == 0 {
			batch = maxBatch
		}
	}
	c, err := a.getClient()
	if err != nil {
		return err
	}
	ctx, cancel := a.ctx(cmd)
	defer cancel()
	// One request per part; parts of one domain (an action without a
	// batch form) are sent a few at a time, the SDK pacing them (--rate).
	var parts [][]*item
	for start := 0; start < len(items); start += batch {
		parts = append(parts, items[start:min(start+batch, len(items))])
	}
	taskNos := make([]string, len(parts))
	errs := make([]error, len(parts))
	sem := make(chan struct{}, bulkParallel)
	var wg sync.WaitGroup
	for i, part := range parts {
		domains := make([]string, len(part))
		for j, it := range part {
			domains[j] = it.Domain
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			taskNos[i], errs[i] = op.send(ctx, c, domains)
		}()
	}
	wg.Wait()
	var tasks []string
	unknown := false
	var invalid error
	for i, part := range parts {
		err := errs[i]
		var ve *alidomain.ValidationError
		if errors.As(err, &ve) && invalid == nil {
			invalid = err
		}
		switch {
		case errors.Is(err, alidomain.ErrOutcomeUnknown):
			unknown = true
			for _, it := range part {
				it.Status, it.Message = stUnknown, a.scrub(err.Error())+": look with 'alidomain tasks --since 1h' before sending it again"
			}
			continue
		case err != nil:
			for _, it := range part {
				it.Status, it.Message = stFailed, a.scrub(err.Error())
			}
			continue
		}
		tasks = append(tasks, taskNos[i])
		for _, it := range part {
			it.Status, it.Task = stSubmitted, taskNos[i]
		}
	}
	if invalid != nil && len(tasks) == 0 && !unknown {
		// Refused by the SDK before sending: nothing was sent.
		return &exitError{code: exitUsage, err: errors.New(a.scrub(invalid.Error()))}
	}
	pending := a.follow(ctx, tasks, items)
	if op.codes {
		for _, it := range items {
			a.addSecrets(it.result) // from here on, errors and logs never show it
		}
	}
	rows := make([]bulkRow, len(items))
	code := exitOK
	counts := map[string]int{}
	for i, it := range items {
		if it.Status == stSubmitted && pending[it.Task] {
			it.Status = "pending"
			it.Message = "the task goes on: alidomain tasks wait " + it.Task
		}
		rows[i] = bulkRow{Domain: it.Domain, Status: it.Status, Task: it.Task, Message: it.Message}
		switch it.Status {
		case stSucceeded:
			if op.codes {
				rows[i].Code = it.result
				if it.result == "" {
					rows[i].Message = "the code was mailed to the domain's registrant"
				}
			} else {
				rows[i].Message = op.what
			}
		case stFailed:
			code = max(code, exitFailed)
		default:
			code = exitUnknown
		}
		counts[it.Status]++
	}
	if unknown {
		code = exitUnknown
	}
	msg := fmt.Sprintf("%s: %d succeeded, %d failed", nDomains(len(items)), counts[stSucceeded], counts[stFailed])
	if n := len(items) - counts[stSucceeded] - counts[stFailed]; n > 0 {
		msg += fmt.Sprintf(", %d unknown or pending", n)
	}
	if a.output == "json" {
		a.writeJSON(map[string]any{"command": a.cmdName, "action": op.action, "domains": rows, "tasks": nonNil(tasks),
			"counts": counts, "message": msg, "api_calls": a.apiCalls(), "exit_code": code})
		return fail(code, "")
	}
	header := []string{"DOMAIN", "STATUS", "TASK"}
	if op.codes {
		header = append(header, "CODE")
	}
	t := &table{header: append(header, "NOTE")}
	for _, r := range rows {
		name := r.Domain
		if a.output == "table" {
			name = display(name)
		}
		st := cell{text: r.Status, colour: yellow}
		switch r.Status {
		case stSucceeded:
			st.colour = green
		case stFailed, stUnknown:
			st.colour = red
		}
		row := []cell{{text: name}, st, {text: r.Task}}
		if op.codes {
			row = append(row, cell{text: r.Code})
		}
		t.addCells(append(row, cell{text: r.Message})...)
	}
	if err := t.write(a.stdout, a.output, a.colour()); err != nil {
		return err
	}
	if a.output == "table" {
		fmt.Fprintln(a.stdout, msg)
	}
	return fail(code, "")
}
