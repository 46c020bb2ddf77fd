package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
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
	action string     // the catalog's action
	params url.Values // its parameters other than the domains
	what   string     // what it does, for the report
	codes  bool       // the succeeded details' TaskResult is a transfer code to show
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
			op := &bulkOp{action: actModifyDNS, params: url.Values{}}
			switch {
			case aliyun && len(ns) > 0:
				return usageErr("give --ns or --aliyun, not both")
			case aliyun:
				op.params.Set("AliyunDns", "true")
				op.what = "name servers set to Alibaba Cloud DNS"
			case len(ns) == 0:
				return usageErr("give the name servers (--ns NS1,NS2) or --aliyun")
			default:
				limit := maxItems(actModifyDNS, "DomainNameServer")
				if limit > 0 && len(ns) > limit {
					return usageErr("--ns: %d name servers, at most %d", len(ns), limit)
				}
				op.params.Set("AliyunDns", "false")
				for i, n := range ns {
					n = strings.TrimSuffix(strings.TrimSpace(n), ".")
					if n == "" || strings.ContainsAny(n, " \t/") {
						return usageErr("--ns: %q is not a name server", n)
					}
					op.params.Set(fmt.Sprintf("DomainNameServer.%d", i+1), n)
				}
				op.what = "name servers set to " + strings.Join(ns, ", ")
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
			op := &bulkOp{action: actTransferLock, params: url.Values{"Status": {fmt.Sprint(on)}}, what: "transfer lock " + onOffWord(on)}
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
			return a.runBulk(cmd, &bulkOp{action: actPrivacy, params: url.Values{"Status": {fmt.Sprint(on)}}, what: "WHOIS privacy " + onOffWord(on)}, items)
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
			return a.runBulk(cmd, &bulkOp{action: actTransferOutKey, params: url.Values{}, what: "transfer code issued", codes: true}, items)
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

// maxItems is the catalog's limit of an action's list parameter (0: none).
func maxItems(action, param string) int {
	if act := theCatalog().Lookup(action); act != nil {
		if p := act.Param(param); p != nil {
			return p.MaxItems
		}
	}
	return 0
}

// submitTask sends one task write through Client.Call with the catalog's
// names and returns its TaskNo. It is the one place that sends the bulk
// commands' actions: with the generated layer, it becomes a switch calling
// c.API.<Action>(ctx, &alidomain.<Action>Request{...}) per action.
func submitTask(ctx context.Context, c *alidomain.Client, action string, params url.Values) (string, error) {
	var ans struct {
		TaskNo string `json:"TaskNo" xml:"TaskNo"`
	}
	if _, err := c.Call(ctx, &alidomain.CallRequest{Action: action, Params: params}, &ans); err != nil {
		return "", err
	}
	if ans.TaskNo == "" {
		return "", fmt.Errorf("%w: %s answered without a TaskNo", alidomain.ErrOutcomeUnknown, action)
	}
	return ans.TaskNo, nil
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
		params := url.Values{}
		for k, v := range op.params {
			params[k] = v
		}
		for j, it := range part {
			if batch == 1 {
				params.Set("DomainName", it.Domain)
			} else {
				params.Set(fmt.Sprintf("DomainName.%d", j+1), it.Domain)
			}
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			taskNos[i], errs[i] = submitTask(ctx, c, op.action, params)
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
