package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/internal/catalog"
	"github.com/alidomain/alidomain/internal/redact"
	"github.com/spf13/cobra"
)

// redactedMark replaces a secret value in what call prints.
const redactedMark = redact.Mark

// callCommand is "alidomain call ACTION [Name=value ...]".
func (a *app) callCommand() *cobra.Command {
	var wait bool
	cmd := &cobra.Command{
		Use:   "call ACTION [Name=value ...]",
		Short: "Call any action of the API by name, its parameters checked against the catalog first",
		Long: `Call any action of the Domain API (2018-01-29) with Name=value parameters and
print the answer as JSON. The parameters are checked against the catalog built
into the tool before anything is sent: an unknown action or parameter, a
missing required parameter, a value of the wrong type (integers, booleans as
true or false, JSON lists) or a list over its limit is a usage error (exit 2)
that lists the action's parameters. "alidomain call ACTION --help" shows them.

Lists: repeat Name=v (sent as Name.1, Name.2, ...) or give Name.N=v; a list of
structures takes Name.N.Field=v; a JSON list takes one JSON array.

Paid orders are sent only with --yes (without it the request is shown and
nothing is sent: exit 4). Task writes can --wait: the task is followed to the
end and each domain's result shown (exit 1 if some failed). Secret parameters
(transfer codes, mailed tokens, identity documents) are never echoed, and
secret answer fields (signed upload policies, a task result that can carry a
transfer code) are printed as ` + redactedMark + `.`,
		Example: `  alidomain --simulate call QueryDomainByDomainName DomainName=acme-shop.com
  alidomain --simulate call SaveBatchTaskForUpdateProhibitionLock DomainName=acme-01.com DomainName=acme-02.com Status=true --wait
  alidomain --simulate call SaveBatchTaskForCreatingOrderRenew OrderRenewParam.1.DomainName=acme-shop.com \
      OrderRenewParam.1.SubscriptionDuration=1 OrderRenewParam.1.CurrentExpirationDate=1767225600000   # shown, not sent: --yes sends it
  alidomain call SaveBatchTaskForModifyingDomainDns --help`,
		Args:              cobra.ArbitraryArgs,
		ValidArgsFunction: completeCall,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runCall(cmd, args, wait)
		},
	}
	cmd.Flags().BoolVar(&wait, "wait", false, "for a task write: follow the task to the end and show each domain's result")
	defaultHelp := cmd.HelpFunc()
	cmd.SetHelpFunc(func(c *cobra.Command, args []string) {
		if pos := c.Flags().Args(); c == cmd && len(pos) > 0 {
			if act := theCatalog().Lookup(pos[0]); act != nil {
				fmt.Fprint(c.OutOrStdout(), actionHelp(act))
				fmt.Fprint(c.OutOrStdout(), exitCodeHelp())
				return
			}
		}
		defaultHelp(c, args)
	})
	return cmd
}

// runCall checks the arguments, then sends the call (a paid order only
// with --yes) and prints the answer.
func (a *app) runCall(cmd *cobra.Command, args []string, wait bool) error {
	if len(args) == 0 {
		return usageErr("give an ACTION (alidomain actions lists them)")
	}
	if a.output == "csv" {
		return usageErr("call prints its answer as JSON: use -o table (the answer) or -o json (the answer in the report)")
	}
	act := theCatalog().Lookup(args[0])
	if act == nil {
		return usageErr("no action %q in the API%s (alidomain actions lists them)", args[0], suggest(args[0]))
	}
	params, secrets, err := checkParams(act, args[1:])
	a.addSecrets(secrets...)
	if err != nil {
		return usageErr("%s: %v\n\n%s", act.Name, err, paramTable(act))
	}
	if wait && catalog.FindField(act.Answer, "TaskNo") == nil {
		return usageErr("--wait: %s answers no TaskNo (it is a %s)", act.Name, kindLabel(act.Kind))
	}
	// The client (and with --simulate the simulator) exists before any
	// refusal below, so that the report's api_calls shows nothing was sent.
	c, err := a.getClient()
	if err != nil {
		return err
	}
	if act.Kind == catalog.PaidOrder && !a.yes {
		return a.callPlan(act, params)
	}
	if !act.Lang {
		params["Lang"] = nil // the action takes none: send none
	}
	ctx, cancel := a.ctx(cmd)
	defer cancel()
	var ans rawAnswer
	meta, err := c.Call(ctx, &alidomain.CallRequest{Action: act.Name, Params: params, Idempotent: act.Kind.IsRead()}, &ans)
	rep := map[string]any{"command": a.cmdName, "action": act.Name, "kind": kindKey(act.Kind)}
	if meta.RequestID != "" {
		rep["request_id"] = meta.RequestID
	}
	if err != nil {
		return a.callFailed(act, rep, err)
	}
	answer, err := redactAnswer(act, ans.raw, secrets)
	if err != nil {
		err = fmt.Errorf("the service answered, but its answer could not be read: %w", err)
		if act.Kind.IsRead() {
			return a.callDone(rep, exitUsage, err)
		}
		// The write was done or refused: which, the answer would have said.
		return a.callDone(rep, exitUnknown, fmt.Errorf("%w; look with 'alidomain tasks --since 1h' before sending it again", err))
	}
	rep["answer"] = answer
	if !wait {
		return a.callDone(rep, exitOK, nil)
	}
	taskNo := taskNoOf(answer)
	if taskNo == "" {
		return a.callDone(rep, exitUnknown, errors.New("the answer has no TaskNo to follow"))
	}
	p := a.newProgress()
	wo := a.waitOptions()
	wo.Progress = func(tc alidomain.TaskCounts) {
		p.bar("task "+taskNo, tc.Succeeded+tc.Failed, tc.Total,
			fmt.Sprintf("%d done, %d failed, %d pending", tc.Succeeded, tc.Failed, tc.Waiting+tc.Executing), false)
	}
	tr, werr := c.Tasks.Wait(ctx, taskNo, &wo)
	p.done()
	var details []alidomain.TaskDetail
	if tr != nil {
		details = tr.Details
	}
	code, msg, out := detailSummary(taskNo, details, werr)
	rep["task"] = taskNo
	rep["details"] = out
	rep["message"] = msg
	if a.output == "json" {
		return a.callDone(rep, code, nil)
	}
	if err := a.printAnswer(rep["answer"]); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout)
	return a.printDetails(taskNo, details, werr)
}

// detailSummary counts a task's details: the exit code, the summary line
// and the details as JSON.
func detailSummary(taskNo string, details []alidomain.TaskDetail, waitErr error) (int, string, []detailJSON) {
	code := exitOK
	var ok, failed, pending int
	out := make([]detailJSON, len(details))
	for i, d := range details {
		switch d.Status {
		case alidomain.TaskSucceeded:
			ok++
		case alidomain.TaskFailed:
			failed++
			code = exitFailed
		default:
			pending++
		}
		out[i] = detailJSON{Task: d.TaskNo, Domain: d.DomainName, Type: d.TaskType, Status: d.Status.String(),
			Message: d.ErrorMsg, Reason: d.FailReason, Tries: d.TryCount, Created: d.CreateTime, Updated: d.UpdateTime}
	}
	msg := fmt.Sprintf("task %s: %d domains, %d succeeded, %d failed, %d pending", taskNo, len(details), ok, failed, pending)
	if waitErr != nil {
		code = exitUnknown
		msg = fmt.Sprintf("%s; stopped waiting (%v): resume with: alidomain tasks wait %s", msg, waitErr, taskNo)
	}
	return code, msg, out
}

// callPlan shows a paid order that --yes did not confirm: nothing is sent.
func (a *app) callPlan(act *catalog.Action, params url.Values) error {
	shown := map[string]string{}
	for k := range params {
		v := params.Get(k)
		if secretWire(act, k) {
			v = redactedMark
		}
		shown[k] = v
	}
	msg := fmt.Sprintf("%s is a paid order: nothing was sent; add --yes to send it", act.Name)
	if a.output == "json" {
		a.writeJSON(map[string]any{"command": a.cmdName, "action": act.Name, "kind": kindKey(act.Kind), "params": shown,
			"submitted": false, "message": msg, "api_calls": a.apiCalls(), "exit_code": exitNothing})
		return fail(exitNothing, "")
	}
	keys := make([]string, 0, len(shown))
	for k := range shown {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(a.stdout, "Would send %s (a paid order):\n", act.Name)
	for _, k := range keys {
		fmt.Fprintf(a.stdout, "  %s=%s\n", k, shown[k])
	}
	fmt.Fprintln(a.stdout, msg)
	return fail(exitNothing, "")
}

// callFailed ends a call whose request failed: exit 3 when the service may
// have done it, 1 when it answered with an error, 2 otherwise (nothing
// was done).
func (a *app) callFailed(act *catalog.Action, rep map[string]any, err error) error {
	code := exitUsage
	var ae *alidomain.APIError
	switch {
	case errors.Is(err, alidomain.ErrOutcomeUnknown):
		code = exitUnknown
		err = fmt.Errorf("%w; the service may have done it: look with 'alidomain tasks --since 1h' before sending it again", err)
	case errors.As(err, &ae):
		code = exitFailed
		rep["api_error"] = map[string]string{"code": ae.Code, "message": a.scrub(ae.Message)}
	}
	return a.callDone(rep, code, err)
}

// callDone writes call's report and ends with code.
func (a *app) callDone(rep map[string]any, code int, err error) error {
	if err != nil {
		rep["error"] = a.scrub(err.Error())
	}
	if a.output == "json" {
		rep["api_calls"] = a.apiCalls()
		rep["exit_code"] = code
		a.writeJSON(rep)
	} else if ans, ok := rep["answer"]; ok {
		if err := a.printAnswer(ans); err != nil {
			return err
		}
	}
	if err != nil {
		return &exitError{code: code, err: errors.New(a.scrub(err.Error()))}
	}
	return fail(code, "")
}

// printAnswer writes the answer (already redacted) as indented JSON.
func (a *app) printAnswer(ans any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ans); err != nil {
		return err
	}
	_, err := a.stdout.Write(b.Bytes())
	return err
}

// rawAnswer keeps the answer's JSON as it came, so that numbers keep every
// digit.
type rawAnswer struct{ raw []byte }

// UnmarshalJSON keeps b.
func (r *rawAnswer) UnmarshalJSON(b []byte) error {
	r.raw = append(r.raw[:0], b...)
	return nil
}

// redactAnswer decodes the answer (numbers as written) and replaces with
// the mark the values of the fields the catalog marks secret, of
// TaskResult (a task result can carry a transfer code), and any text that
// echoes one of the request's secrets.
func redactAnswer(act *catalog.Action, raw []byte, secrets []string) (any, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return redactValue(v, act.Answer, secrets), nil
}

// redactValue redacts v, whose fields the catalog describes, in place.
func redactValue(v any, fields []*catalog.Field, secrets []string) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			var f *catalog.Field
			for _, ff := range fields {
				if ff.Wire == k {
					f = ff
				}
			}
			if (f != nil && f.Secret) || k == "TaskResult" {
				if s, ok := e.(string); !ok || s != "" {
					x[k] = redactedMark
				}
				continue
			}
			var sub []*catalog.Field
			if f != nil {
				sub = f.Fields
			}
			x[k] = redactValue(e, sub, secrets)
		}
	case []any:
		for i, e := range x {
			x[i] = redactValue(e, fields, secrets)
		}
	case string:
		for _, s := range secrets {
			if s != "" && strings.Contains(x, s) {
				return redactedMark
			}
		}
	}
	return v
}

// taskNoOf returns the answer's TaskNo.
func taskNoOf(answer any) string {
	m, _ := answer.(map[string]any)
	switch t := m["TaskNo"].(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	}
	return ""
}

// secretWire reports whether the wire parameter key (Name, Name.N or
// Name.N.Field) of act holds a secret.
func secretWire(act *catalog.Action, key string) bool {
	if redact.SecretName(key) {
		return true
	}
	parts := strings.Split(key, ".")
	p := topParam(act, parts[0])
	if p == nil {
		return false
	}
	if p.Secret {
		return true
	}
	if len(parts) == 3 {
		if f := fieldOf(p, parts[2]); f != nil {
			return f.Secret
		}
	}
	return false
}

// topParam returns act's top-level parameter named wire, or nil.
func topParam(act *catalog.Action, wire string) *catalog.Param {
	for _, p := range act.Params {
		if p.Wire == wire {
			return p
		}
	}
	return nil
}

// fieldOf returns a struct list's field, or nil.
func fieldOf(p *catalog.Param, wire string) *catalog.Param {
	for _, f := range p.Fields {
		if f.Wire == wire {
			return f
		}
	}
	return nil
}

// listVals collects one list parameter's values by index.
type listVals struct {
	implicit, explicit bool
	items              []string           // repeated Name=v
	byIndex            map[int]string     // Name.N=v
	structs            map[int]url.Values // Name.N.Field=v
}

// checkParams checks Name=value arguments against act and returns the
// parameters flattened for the wire, and the values of secret parameters
// (also when it returns an error, so that the error can be scrubbed).
func checkParams(act *catalog.Action, args []string) (url.Values, []string, error) {
	var secrets []string
	for _, arg := range args {
		if k, v, ok := strings.Cut(arg, "="); ok && secretWire(act, k) {
			secrets = append(secrets, v)
		}
	}
	out := url.Values{}
	lists := map[string]*listVals{}
	var order []string
	for i, arg := range args {
		key, val, ok := strings.Cut(arg, "=")
		if !ok || key == "" {
			// Not quoted: it may be a secret.
			return nil, secrets, fmt.Errorf("argument %d after the action is not Name=value", i+1)
		}
		parts := strings.Split(key, ".")
		p := topParam(act, parts[0])
		if p == nil {
			return nil, secrets, fmt.Errorf("no parameter %s%s", key, suggestParam(act, parts[0]))
		}
		shown := strconv.Quote(val)
		if secretWire(act, key) {
			shown = "the value given"
		}
		switch p.List {
		case catalog.Flat:
			if len(parts) != 1 {
				return nil, secrets, fmt.Errorf("%s is not a list: give %s=value", p.Wire, p.Wire)
			}
			if out.Has(p.Wire) {
				return nil, secrets, fmt.Errorf("%s given twice", p.Wire)
			}
			if err := checkValue(p, val, shown); err != nil {
				return nil, secrets, err
			}
			out.Set(p.Wire, val)
			continue
		case catalog.JSONList:
			if len(parts) != 1 {
				return nil, secrets, fmt.Errorf("%s is a JSON list: give %s='[...]'", p.Wire, p.Wire)
			}
			if out.Has(p.Wire) {
				return nil, secrets, fmt.Errorf("%s given twice: give one JSON array", p.Wire)
			}
			compact, err := checkJSONList(p, val)
			if err != nil {
				return nil, secrets, err
			}
			out.Set(p.Wire, compact)
			continue
		}
		l := lists[p.Wire]
		if l == nil {
			l = &listVals{byIndex: map[int]string{}, structs: map[int]url.Values{}}
			lists[p.Wire] = l
			order = append(order, p.Wire)
		}
		if p.List == catalog.RepeatedStruct {
			if len(parts) != 3 {
				return nil, secrets, fmt.Errorf("%s is a list of structures: give %s.N.Field=value (fields: %s)", p.Wire, p.Wire, fieldNames(p))
			}
			n, err := listIndex(p, parts[1])
			if err != nil {
				return nil, secrets, err
			}
			f := fieldOf(p, parts[2])
			if f == nil {
				return nil, secrets, fmt.Errorf("%s has no field %s (fields: %s)", p.Wire, parts[2], fieldNames(p))
			}
			if l.structs[n] == nil {
				l.structs[n] = url.Values{}
			}
			if l.structs[n].Has(f.Wire) {
				return nil, secrets, fmt.Errorf("%s given twice", key)
			}
			if err := checkValue(f, val, shown); err != nil {
				return nil, secrets, fmt.Errorf("%s.%d.%w", p.Wire, n, err)
			}
			l.structs[n].Set(f.Wire, val)
			continue
		}
		// catalog.Repeated
		if err := checkValue(p, val, shown); err != nil {
			return nil, secrets, err
		}
		switch len(parts) {
		case 1:
			l.implicit = true
			l.items = append(l.items, val)
		case 2:
			n, err := listIndex(p, parts[1])
			if err != nil {
				return nil, secrets, err
			}
			if _, dup := l.byIndex[n]; dup {
				return nil, secrets, fmt.Errorf("%s given twice", key)
			}
			l.explicit = true
			l.byIndex[n] = val
		default:
			return nil, secrets, fmt.Errorf("%s is a list: give %s=value (repeated) or %s.N=value", p.Wire, p.Wire, p.Wire)
		}
		if l.implicit && l.explicit {
			return nil, secrets, fmt.Errorf("%s: give either %s=value (repeated) or %s.N=value, not both", p.Wire, p.Wire, p.Wire)
		}
	}
	for _, name := range order {
		p, l := topParam(act, name), lists[name]
		n := len(l.items)
		switch {
		case p.List == catalog.RepeatedStruct:
			n = len(l.structs)
			if err := contiguous(p, mapKeys(l.structs)); err != nil {
				return nil, secrets, err
			}
			for i := 1; i <= n; i++ {
				for _, f := range p.Fields {
					if f.Required && !l.structs[i].Has(f.Wire) {
						return nil, secrets, fmt.Errorf("missing %s.%d.%s (required)", p.Wire, i, f.Wire)
					}
				}
				for k, vs := range l.structs[i] {
					out[fmt.Sprintf("%s.%d.%s", p.Wire, i, k)] = vs
				}
			}
		case l.explicit:
			n = len(l.byIndex)
			if err := contiguous(p, mapKeys(l.byIndex)); err != nil {
				return nil, secrets, err
			}
			for i := 1; i <= n; i++ {
				out.Set(fmt.Sprintf("%s.%d", p.Wire, i), l.byIndex[i])
			}
		default:
			for i, v := range l.items {
				out.Set(fmt.Sprintf("%s.%d", p.Wire, i+1), v)
			}
		}
		if p.MaxItems > 0 && n > p.MaxItems {
			return nil, secrets, fmt.Errorf("%s has %d items: at most %d", p.Wire, n, p.MaxItems)
		}
	}
	var missing []string
	for _, p := range act.Params {
		if p.Required && !out.Has(p.Wire) && lists[p.Wire] == nil {
			missing = append(missing, p.Wire)
		}
	}
	if len(missing) > 0 {
		return nil, secrets, fmt.Errorf("missing required parameter %s", strings.Join(missing, ", "))
	}
	return out, secrets, nil
}

// mapKeys returns m's keys.
func mapKeys[V any](m map[int]V) []int {
	ks := make([]int, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// contiguous checks that a list's indices are 1 to n.
func contiguous(p *catalog.Param, idx []int) error {
	sort.Ints(idx)
	for i, n := range idx {
		if n != i+1 {
			return fmt.Errorf("%s.%d is missing: number a list's items from 1 without gaps", p.Wire, i+1)
		}
	}
	return nil
}

// listIndex parses the N of Name.N.
func listIndex(p *catalog.Param, s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || strconv.Itoa(n) != s {
		return 0, fmt.Errorf("%s.%s: the item number must be 1, 2, ...", p.Wire, s)
	}
	if p.MaxItems > 0 && n > p.MaxItems {
		return 0, fmt.Errorf("%s.%d: the list holds at most %d items", p.Wire, n, p.MaxItems)
	}
	return n, nil
}

// fieldNames lists a struct list's fields.
func fieldNames(p *catalog.Param) string {
	var s []string
	for _, f := range p.Fields {
		s = append(s, f.Wire)
	}
	return strings.Join(s, ", ")
}

// checkValue checks one value against its parameter's type and limits;
// shown is how the error quotes it (never a secret).
func checkValue(p *catalog.Param, v, shown string) error {
	switch p.Type {
	case "integer", "int32", "int64":
		bits := 64
		if p.Type == "int32" {
			bits = 32
		}
		n, err := strconv.ParseInt(v, 10, bits)
		if err != nil {
			return fmt.Errorf("%s: %s is not an integer (%s)", p.Wire, shown, p.Type)
		}
		if err := checkRange(p, float64(n), shown); err != nil {
			return err
		}
	case "float", "double":
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return fmt.Errorf("%s: %s is not a number", p.Wire, shown)
		}
		if err := checkRange(p, f, shown); err != nil {
			return err
		}
	case "boolean":
		if v != "true" && v != "false" {
			return fmt.Errorf("%s: %s is not true or false", p.Wire, shown)
		}
	}
	if p.MaxLength > 0 && utf8.RuneCountInString(v) > p.MaxLength {
		return fmt.Errorf("%s: longer than %d characters", p.Wire, p.MaxLength)
	}
	if len(p.Enum) > 0 {
		for _, e := range p.Enum {
			if v == e {
				return nil
			}
		}
		return fmt.Errorf("%s: %s is not one of %s", p.Wire, shown, strings.Join(p.Enum, ", "))
	}
	return nil
}

// checkRange checks a number against the parameter's documented range.
func checkRange(p *catalog.Param, f float64, shown string) error {
	if p.Min != nil && f < *p.Min {
		return fmt.Errorf("%s: %s is below %v", p.Wire, shown, *p.Min)
	}
	if p.Max != nil && f > *p.Max {
		return fmt.Errorf("%s: %s is above %v", p.Wire, shown, *p.Max)
	}
	return nil
}

// checkJSONList checks a JSON list parameter's value: a JSON array of the
// element type (objects with only the documented fields), within the
// limit; it returns the array compacted.
func checkJSONList(p *catalog.Param, v string) (string, error) {
	d := json.NewDecoder(strings.NewReader(v))
	d.UseNumber()
	var list []any
	if err := d.Decode(&list); err != nil || d.More() {
		return "", fmt.Errorf("%s: not a JSON array (give %s='[...]')", p.Wire, p.Wire)
	}
	if p.MaxItems > 0 && len(list) > p.MaxItems {
		return "", fmt.Errorf("%s has %d items: at most %d", p.Wire, len(list), p.MaxItems)
	}
	for i, e := range list {
		if p.Type != "object" {
			s := fmt.Sprint(e)
			if err := checkValue(p, s, strconv.Quote(s)); err != nil {
				return "", fmt.Errorf("item %d: %w", i+1, err)
			}
			continue
		}
		obj, ok := e.(map[string]any)
		if !ok {
			return "", fmt.Errorf("%s: item %d is not a JSON object", p.Wire, i+1)
		}
		for k, fv := range obj {
			f := fieldOf(p, k)
			if f == nil && len(p.Fields) > 0 {
				return "", fmt.Errorf("%s: item %d has no field %s (fields: %s)", p.Wire, i+1, k, fieldNames(p))
			}
			if f != nil {
				s := fmt.Sprint(fv)
				if err := checkValue(f, s, strconv.Quote(s)); err != nil {
					return "", fmt.Errorf("%s item %d: %w", p.Wire, i+1, err)
				}
			}
		}
		for _, f := range p.Fields {
			if _, ok := obj[f.Wire]; f.Required && !ok {
				return "", fmt.Errorf("%s: item %d lacks %s (required)", p.Wire, i+1, f.Wire)
			}
		}
	}
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(v)); err != nil {
		return "", err
	}
	return b.String(), nil
}

// suggest names the actions closest to a wrong name: the same name in
// another case, or those it starts.
func suggest(name string) string {
	var s []string
	for _, act := range theCatalog().Actions {
		if strings.EqualFold(act.Name, name) {
			return "; did you mean " + act.Name + "?"
		}
		if len(name) >= 4 && strings.HasPrefix(strings.ToLower(act.Name), strings.ToLower(name)) {
			s = append(s, act.Name)
		}
	}
	if len(s) > 0 && len(s) <= 5 {
		return "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return ""
}

// suggestParam names the parameter a wrong name differs from in case only.
func suggestParam(act *catalog.Action, name string) string {
	for _, p := range act.Params {
		if strings.EqualFold(p.Wire, name) {
			return " (did you mean " + p.Wire + "?)"
		}
	}
	return ""
}

// listStyle describes how a parameter is given on the command line.
func listStyle(p *catalog.Param) string {
	switch p.List {
	case catalog.Repeated:
		return "list: " + p.Wire + "=v repeated, or " + p.Wire + ".N=v"
	case catalog.RepeatedStruct:
		return "list of structures: " + p.Wire + ".N.Field=v"
	case catalog.JSONList:
		return "JSON list: " + p.Wire + "='[...]'"
	}
	return "-"
}

// limits describes a parameter's documented limits.
func limits(p *catalog.Param) string {
	var s []string
	if p.MaxItems > 0 {
		s = append(s, fmt.Sprintf("at most %d items", p.MaxItems))
	}
	if p.MaxLength > 0 {
		s = append(s, fmt.Sprintf("at most %d characters", p.MaxLength))
	}
	if p.Min != nil {
		s = append(s, fmt.Sprintf("min %v", *p.Min))
	}
	if p.Max != nil {
		s = append(s, fmt.Sprintf("max %v", *p.Max))
	}
	if len(p.Enum) > 0 {
		s = append(s, "one of "+strings.Join(p.Enum, ", "))
	}
	if p.Default != "" {
		s = append(s, "default "+p.Default)
	}
	if p.Secret {
		s = append(s, "secret: never echoed")
	}
	return strings.Join(s, "; ")
}

// paramTable renders act's parameters.
func paramTable(act *catalog.Action) string {
	if len(act.Params) == 0 {
		return act.Name + " takes no parameters.\n"
	}
	t := &table{header: []string{"PARAMETER", "TYPE", "REQUIRED", "LIST", "LIMITS"}}
	for _, p := range act.Params {
		typ := p.Type
		if p.List == catalog.RepeatedStruct {
			typ = "structure"
		}
		t.add(p.Wire, typ, yesNo(p.Required), listStyle(p), limits(p))
		for _, f := range p.Fields {
			name := p.Wire + ".N." + f.Wire
			if p.List == catalog.JSONList {
				name = p.Wire + "[]." + f.Wire
			}
			t.add("  "+name, f.Type, yesNo(f.Required), "-", limits(f))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Parameters of %s:\n", act.Name)
	_ = t.write(&b, "table", false)
	return b.String()
}

// actionHelp is "alidomain call ACTION --help".
func actionHelp(act *catalog.Action) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s\n\n", act.Name, kindLabel(act.Kind), act.Summary)
	fmt.Fprintf(&b, "Usage:\n  alidomain call %s [Name=value ...]", act.Name)
	switch {
	case act.Kind == catalog.PaidOrder:
		b.WriteString(" --yes\n\nA paid order: sent only with --yes.")
	case catalog.FindField(act.Answer, "TaskNo") != nil:
		b.WriteString(" [--wait]\n\nA task write: --wait follows the task to each domain's result.")
	case act.RepeatSafe:
		b.WriteString("\n\nSafe to repeat: retried on transient errors.")
	default:
		b.WriteString("\n\nA write: re-sent only when it provably did not take effect.")
	}
	b.WriteString("\n\n")
	b.WriteString(paramTable(act))
	return b.String()
}

// completeCall completes call's arguments: action names, then the action's
// parameter names.
func completeCall(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) == 0 {
		return actionNames(toComplete), cobra.ShellCompDirectiveNoFileComp
	}
	act := theCatalog().Lookup(args[0])
	if act == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	given := map[string]bool{}
	for _, arg := range args[1:] {
		k, _, _ := strings.Cut(arg, "=")
		given[k] = true
	}
	var out []string
	for _, p := range act.Params {
		var names []string
		switch p.List {
		case catalog.Flat, catalog.JSONList:
			if given[p.Wire] {
				continue
			}
			names = []string{p.Wire + "="}
		case catalog.Repeated:
			names = []string{p.Wire + "="}
		case catalog.RepeatedStruct:
			// The last item's missing fields, and the next item's.
			last := 0
			for k := range given {
				if rest, ok := strings.CutPrefix(k, p.Wire+"."); ok {
					n, _, _ := strings.Cut(rest, ".")
					if i, err := strconv.Atoi(n); err == nil {
						last = max(last, i)
					}
				}
			}
			for _, f := range p.Fields {
				if k := fmt.Sprintf("%s.%d.%s", p.Wire, last, f.Wire); last > 0 && !given[k] {
					names = append(names, k+"=")
				}
			}
			for _, f := range p.Fields {
				names = append(names, fmt.Sprintf("%s.%d.%s=", p.Wire, last+1, f.Wire))
			}
		}
		for _, n := range names {
			if strings.HasPrefix(n, toComplete) {
				out = append(out, n)
			}
		}
	}
	return out, cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
}
