package alidomain

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
)

// scrubValues removes each secret value of a request (a transfer's
// AuthorizationCode) from s, in every encoding the service might echo it
// in: raw, percent-encoded once (the query) or twice (the string to sign),
// or form-encoded.
func scrubValues(s string, secrets []string) string {
	for _, v := range secrets {
		if v == "" {
			continue
		}
		once := escape(v)
		for _, form := range [...]string{escape(once), once, url.QueryEscape(v), v} {
			s = strings.ReplaceAll(s, form, redacted)
		}
	}
	return s
}

// taskDetailFields has TaskDetail's fields and no methods.
type taskDetailFields TaskDetail

// redacted returns the detail with TaskResult, which can carry a domain's
// transfer authorization code, redacted.
func (d TaskDetail) redacted() taskDetailFields {
	d.TaskResult = redactedOrEmpty(d.TaskResult)
	return taskDetailFields(d)
}

// String returns the detail as %+v shows it. TaskResult is redacted: it
// can carry a domain's transfer authorization code (read the field itself).
func (d TaskDetail) String() string { return fmt.Sprintf("%+v", d.redacted()) }

// GoString returns the detail as %#v shows it, TaskResult redacted.
func (d TaskDetail) GoString() string {
	return "alidomain.TaskDetail" + strings.TrimPrefix(fmt.Sprintf("%#v", d.redacted()), "alidomain.taskDetailFields")
}

// Format prints the detail for every verb with TaskResult redacted.
func (d TaskDetail) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, d.GoString())
		return
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), d.redacted())
}

// LogValue logs the detail with TaskResult redacted.
func (d TaskDetail) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("task_no", d.TaskNo),
		slog.String("task_detail_no", d.TaskDetailNo),
		slog.String("domain_name", d.DomainName),
		slog.String("instance_id", d.InstanceID),
		slog.String("task_type", d.TaskType),
		slog.String("status", d.Status.String()),
		slog.Int("try_count", d.TryCount),
		slog.String("error_msg", d.ErrorMsg),
		slog.String("fail_reason", d.FailReason),
		slog.String("task_result", redactedOrEmpty(d.TaskResult)),
		slog.Time("create_time", d.CreateTime),
		slog.Time("update_time", d.UpdateTime),
	)
}

// MarshalJSON encodes the detail with TaskResult redacted, so that a JSON
// log of a report does not carry an authorization code.
func (d TaskDetail) MarshalJSON() ([]byte, error) { return json.Marshal(d.redacted()) }
