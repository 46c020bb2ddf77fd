package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/alidomain/alidomain"
	"github.com/spf13/cobra"
)

// taskJSON is a task in the JSON document.
type taskJSON struct {
	Task        string    `json:"task"`
	Type        string    `json:"type"`
	Description string    `json:"description,omitempty"`
	Status      string    `json:"status"`
	Domains     int       `json:"domains"`
	Created     time.Time `json:"created"`
}

// detailJSON is a task detail in the JSON document. TaskResult is left
// out: it can carry a transfer authorization code.
type detailJSON struct {
	Task    string    `json:"task"`
	Domain  string    `json:"domain"`
	Type    string    `json:"type"`
	Status  string    `json:"status"`
	Message string    `json:"message,omitempty"`
	Reason  string    `json:"fail_reason,omitempty"`
	Tries   int       `json:"tries"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
}

// tasksCommand is "alidomain tasks", with "show" and "wait".
func (a *app) tasksCommand() *cobra.Command {
	since := durationFlag{d: 7 * 24 * time.Hour, set: true}
	cmd := &cobra.Command{
		Use:   "tasks [--since DURATION]",
		Short: "List the account's tasks (orders and other writes); show or wait for one",
		Example: `  alidomain --simulate tasks --since 1d
  alidomain tasks show 100000001
  alidomain tasks wait 100000001      # resume following an order`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := a.getClient()
			if err != nil {
				return err
			}
			ctx, cancel := a.ctx(cmd)
			defer cancel()
			var list []taskJSON
			req := &alidomain.ListTasksRequest{BeginCreateTime: time.Now().Add(-since.d), PageSize: 100}
			for t, err := range c.Tasks.ListIter(ctx, req) {
				if err != nil {
					return &exitError{code: exitUsage, err: err}
				}
				list = append(list, taskJSON{Task: t.TaskNo, Type: t.TaskType, Description: t.TaskTypeDescription,
					Status: taskStatus(t.Status, true), Domains: t.TaskNum, Created: t.CreateTime})
			}
			if a.output == "json" {
				a.writeJSON(map[string]any{"command": a.cmdName, "tasks": nonNil(list), "count": len(list), "api_calls": a.apiCalls(), "exit_code": exitOK})
				return nil
			}
			t := &table{header: []string{"TASK", "TYPE", "STATUS", "DOMAINS", "CREATED"}, right: map[int]bool{3: true}}
			for _, x := range list {
				t.add(x.Task, x.Type, x.Status, strconv.Itoa(x.Domains), timeOf(x.Created))
			}
			t.write(a.stdout, a.output, a.colour())
			if a.output == "table" {
				fmt.Fprintf(a.stdout, "%d tasks\n", len(list))
			}
			return nil
		},
	}
	cmd.Flags().Var(&since, "since", "tasks created within `DURATION` (such as 1d; default 7d)")

	show := &cobra.Command{
		Use:   "show TASKNO",
		Short: "Show a task's details: each domain's state and message",
		Args:  exactArgs(1, "give one TASKNO"),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.getClient()
			if err != nil {
				return err
			}
			ctx, cancel := a.ctx(cmd)
			defer cancel()
			var details []alidomain.TaskDetail
			for d, err := range c.Tasks.ListDetailsIter(ctx, &alidomain.ListTaskDetailsRequest{TaskNo: args[0], PageSize: 1000}) {
				if err != nil {
					return &exitError{code: exitUsage, err: err}
				}
				details = append(details, d)
			}
			return a.printDetails(args[0], details, nil)
		},
	}
	wait := &cobra.Command{
		Use:   "wait TASKNO",
		Short: "Follow a task to the end (resumes following an order), with backoff",
		Long: `Poll the task's details until every domain has succeeded or failed (pausing
2s, doubling up to 30s), with a progress bar on a terminal. Exit 0 when every
domain succeeded, 1 when some failed, 3 when --timeout ended the wait first.`,
		Args: exactArgs(1, "give one TASKNO"),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.getClient()
			if err != nil {
				return err
			}
			ctx, cancel := a.ctx(cmd)
			defer cancel()
			p := a.newProgress()
			wo := a.waitOptions()
			wo.Progress = func(tc alidomain.TaskCounts) {
				p.bar("task "+args[0], tc.Succeeded+tc.Failed, tc.Total,
					fmt.Sprintf("%d done, %d failed, %d pending", tc.Succeeded, tc.Failed, tc.Waiting+tc.Executing), false)
			}
			rep, err := c.Tasks.Wait(ctx, args[0], &wo)
			p.done()
			var details []alidomain.TaskDetail
			if rep != nil {
				details = rep.Details
			}
			var ve *alidomain.ValidationError
			if errors.As(err, &ve) {
				return &exitError{code: exitUsage, err: err}
			}
			return a.printDetails(args[0], details, err)
		},
	}
	cmd.AddCommand(show, wait)
	return cmd
}

// exactArgs is cobra.ExactArgs with a usage error.
func exactArgs(n int, msg string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != n {
			return usageErr("%s", msg)
		}
		return nil
	}
}

// nonNil turns a nil slice into an empty one, for JSON.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// taskStatus names a status; whole tasks say "complete" for TaskSucceeded.
func taskStatus(s alidomain.TaskStatus, whole bool) string {
	if whole && s == alidomain.TaskSucceeded {
		return "complete"
	}
	return s.String()
}

// printDetails writes a task's details; waitErr is the error that ended a
// wait early (exit 3: the task goes on).
func (a *app) printDetails(taskNo string, details []alidomain.TaskDetail, waitErr error) error {
	code := exitOK
	var counts alidomain.TaskCounts
	for _, d := range details {
		switch d.Status {
		case alidomain.TaskSucceeded:
			counts.Succeeded++
		case alidomain.TaskFailed:
			counts.Failed++
			if code == exitOK {
				code = exitFailed
			}
		default:
			counts.Waiting++
		}
	}
	msg := fmt.Sprintf("task %s: %d domains, %d succeeded, %d failed, %d pending", taskNo, len(details), counts.Succeeded, counts.Failed, counts.Waiting)
	if waitErr != nil {
		code = exitUnknown
		msg = fmt.Sprintf("%s; stopped waiting (%v): resume with: alidomain tasks wait %s", msg, waitErr, taskNo)
	}
	if a.output == "json" {
		out := make([]detailJSON, len(details))
		for i, d := range details {
			out[i] = detailJSON{Task: d.TaskNo, Domain: d.DomainName, Type: d.TaskType, Status: d.Status.String(),
				Message: d.ErrorMsg, Reason: d.FailReason, Tries: d.TryCount, Created: d.CreateTime, Updated: d.UpdateTime}
		}
		a.writeJSON(map[string]any{"command": a.cmdName, "task": taskNo, "details": out, "succeeded": counts.Succeeded,
			"failed": counts.Failed, "pending": counts.Waiting, "message": msg, "api_calls": a.apiCalls(), "exit_code": code})
		return fail(code, "")
	}
	t := &table{header: []string{"DOMAIN", "TYPE", "STATUS", "TRIES", "UPDATED", "MESSAGE"}, right: map[int]bool{3: true}}
	for _, d := range details {
		name := d.DomainName
		if a.output == "table" {
			name = display(name)
		}
		st := cell{text: d.Status.String()}
		switch d.Status {
		case alidomain.TaskSucceeded:
			st.colour = green
		case alidomain.TaskFailed:
			st.colour = red
		default:
			st.colour = yellow
		}
		m := d.ErrorMsg
		if d.FailReason != "" && d.FailReason != d.ErrorMsg {
			m = strings.TrimSpace(m + " (" + d.FailReason + ")")
		}
		t.addCells(cell{text: name}, cell{text: d.TaskType}, st, cell{text: strconv.Itoa(d.TryCount)}, cell{text: timeOf(d.UpdateTime)}, cell{text: m})
	}
	t.write(a.stdout, a.output, a.colour())
	if a.output == "table" {
		fmt.Fprintln(a.stdout, msg)
	} else if waitErr != nil {
		fmt.Fprintln(a.stderr, msg)
	}
	return fail(code, "")
}

// reconcileCommand is "alidomain reconcile".
func (a *app) reconcileCommand() *cobra.Command {
	var kindName, since, file string
	cmd := &cobra.Command{
		Use:   "reconcile --kind KIND --since TIME (DOMAIN... | --file F)",
		Short: "Find out what became of orders whose answer was lost (reads the task list)",
		Long: `For each domain, find the order of KIND (renew, redeem, transfer, register)
placed since TIME (minus 20 minutes, for clock skew) that tells most about it:
succeeded, waiting or executing before failed, then the newest. A domain with
none can be ordered again. TIME is RFC 3339 (2026-01-02T15:04:05Z) or a duration
back from now (such as 2h).`,
		Example: `  alidomain reconcile --kind renew --since 2h acme-shop.com acme-mail.com`,
		RunE: func(cmd *cobra.Command, args []string) error {
			k := kindByName(kindName)
			if k == nil {
				return usageErr("--kind %q: want renew, redeem, transfer or register", kindName)
			}
			t, err := parseSince(since)
			if err != nil {
				return usageErr("--since: %v", err)
			}
			names := args
			if file != "" {
				lines, err := a.readLines(file)
				if err != nil {
					return usageErr("--file: %v", err)
				}
				for _, l := range lines {
					name, _, _ := strings.Cut(strings.ReplaceAll(strings.ReplaceAll(l, "\t", " "), ",", " "), " ")
					names = append(names, name)
				}
			}
			if len(names) == 0 {
				return usageErr("give the domains: DOMAIN... or --file")
			}
			c, err := a.getClient()
			if err != nil {
				return err
			}
			ctx, cancel := a.ctx(cmd)
			defer cancel()
			found, err := reconcileFn(c, k)(ctx, t, names)
			if err != nil {
				return &exitError{code: exitUsage, err: fmt.Errorf("reconcile: %w", err)}
			}
			type row struct {
				Domain  string `json:"domain"`
				Found   bool   `json:"found"`
				Task    string `json:"task,omitempty"`
				Status  string `json:"status,omitempty"`
				Message string `json:"message,omitempty"`
			}
			rows := make([]row, 0, len(names))
			seen := map[string]bool{}
			for _, n := range names {
				if seen[n] {
					continue
				}
				seen[n] = true
				r := row{Domain: n}
				if d := found[n]; d != nil {
					r.Found, r.Task, r.Status, r.Message = true, d.TaskNo, d.Status.String(), d.ErrorMsg
				} else {
					r.Message = "no order since " + t.UTC().Format(time.RFC3339) + " (minus 20 minutes): safe to order again"
				}
				rows = append(rows, r)
			}
			if a.output == "json" {
				a.writeJSON(map[string]any{"command": a.cmdName, "kind": k.name, "since": t, "domains": rows, "api_calls": a.apiCalls(), "exit_code": exitOK})
				return nil
			}
			tb := &table{header: []string{"DOMAIN", "ORDER", "TASK", "STATUS", "MESSAGE"}}
			for _, r := range rows {
				name := r.Domain
				if a.output == "table" {
					name = display(name)
				}
				tb.add(name, yesNo(r.Found), r.Task, r.Status, r.Message)
			}
			return tb.write(a.stdout, a.output, a.colour())
		},
	}
	f := cmd.Flags()
	f.StringVar(&kindName, "kind", "", "the kind of order: renew, redeem, transfer or register (required)")
	f.StringVar(&since, "since", "", "when the order was sent: RFC 3339 `TIME` or a duration back from now, such as 2h (required)")
	f.StringVar(&file, "file", "", "read the domains from `F` (one per line; - for stdin)")
	_ = cmd.MarkFlagRequired("kind")
	_ = cmd.MarkFlagRequired("since")
	_ = cmd.RegisterFlagCompletionFunc("kind", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"renew", "redeem", "transfer", "register"}, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

// parseSince reads an RFC 3339 time or a duration back from now.
func parseSince(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	d, err := parseDuration(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither an RFC 3339 time nor a duration such as 2h", s)
	}
	return time.Now().Add(-d), nil
}
